# syntax=docker/dockerfile:1
# Spool in a container: build with the Swift toolchain, run on slim Debian as a non-root user.
#
#   docker build -t spool .
#   docker run -p 8080:8080 -v spool-data:/var/lib/spool -e SPOOL_ADMIN_KEY=… -e FAL_KEY=… spool

# ---- build ----------------------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4-openssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so that source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
# The build embeds migrations/, config/models/ and workbench/ in the binary (the EmbedFolders plugin in Plugins/).
COPY Sources ./Sources
COPY Plugins ./Plugins
COPY migrations ./migrations
COPY config/models ./config/models
COPY workbench ./workbench
RUN swift build -c release --product spool --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/spool" /out/spool

# ---- run ------------------------------------------------------------------------------------------------------
# The release link packs relative relocations (DT_RELR, Package.swift): the run image needs glibc 2.36 or later.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4 libsqlite3-0 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/spool --shell /usr/sbin/nologin spool \
 && install -d -o spool -g spool -m 0750 /var/lib/spool
# The binary is all there is: it carries its migrations, model catalog and workbench. A catalog of your own:
# mount it and set SPOOL_MODELS_DIR.
COPY --from=build /out/spool /usr/local/bin/spool
USER spool
WORKDIR /var/lib/spool
ENV SPOOL_LISTEN=0.0.0.0:8080 \
    SPOOL_DB=/var/lib/spool/spool.db \
    SPOOL_LOG_FORMAT=json
VOLUME ["/var/lib/spool"]
EXPOSE 8080
# curl is not in the image; the binary checks its own health.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/spool", "health"]
ENTRYPOINT ["/usr/local/bin/spool"]
CMD ["serve"]
