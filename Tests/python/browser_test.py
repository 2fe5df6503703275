"""Drives the workbench page in headless Chromium, as a person would, against a running gateway.

Usage: browser_test.py BASE_URL API_KEY [SCREENSHOT_DIR]

BASE_URL is a gateway running against the fal emulator (`spool serve --sim`, or the Swift test harness);
SCREENSHOT_DIR defaults to ./screenshots. Needs Chromium and its driver (Debian: chromium, chromium-driver) and
selenium. The browser is kept off the network: every host name but the gateway's resolves to nothing, and
Chromium's background services are off.

Steps: enter the key; pick the reference-to-video model; see a client-side check refuse a duration out of range;
see the server's 422 detail for a nested field (`input.input_image[0]`) shown beside that field; fill prompt, one
image URL (its thumbnail loads) and duration; submit; follow the job to `completed` and see the <video> load its
source; check the curl command hides the key until revealed; run a second job; compare the two side by side
(videos load, one control plays and seeks them all, differing parameters are marked); take screenshots at desktop
and phone width and check the phone layout does not scroll sideways. Also: the page opens on the catalog's default
model; an empty prompt is refused in the page; after Run the job panel is in view; the curl block is not cut at the
right; on a phone the recent jobs' Prompt column fits; a wrong key leaves no form of the previous model. Prints one
line per step; exits 1 on the first failure, with a screenshot of that moment.
"""

import base64
import os
import struct
import sys
import time
import zlib
from urllib.parse import urlparse

os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException, StaleElementReferenceException, TimeoutException)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

MODEL = "kling-video-o3-pro-reference-to-video"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


class Failure(Exception):
    pass


def png_data_uri(width=48, height=32):
    """A small gradient PNG as a data: URI, so that the image field has something real to preview offline."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 160)) for x in range(width))
        for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


class Workbench:
    def __init__(self, base_url, key, shots):
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.shots = shots
        os.makedirs(shots, exist_ok=True)
        stale = os.path.join(shots, "failure.png")
        if os.path.exists(stale):
            os.remove(stale)
        host = urlparse(self.base_url).hostname
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {host}", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
            "--disable-features=OptimizationHints,MediaRouter,Translate", "--mute-audio",
            "--autoplay-policy=no-user-gesture-required",
        ]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)

    # Helpers

    def step(self, text):
        print(f"ok: {text}", flush=True)

    def wait(self, condition, what, seconds=20):
        """Waits for condition() to be truthy. An element the page re-rendered meanwhile counts as "not yet", so a
        condition that finds its elements afresh each time sees the new ones."""
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.1,
                                 ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                                 ).until(lambda _: condition())
        except TimeoutException:
            raise Failure(f"timed out after {seconds} s waiting for {what}") from None

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def field(self, path):
        return self.find(f'[data-path="{path}"]')

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def type_into(self, element, text):
        element.clear()
        element.send_keys(text)

    def screenshot(self, name):
        """A full-page PNG: the page's whole height, not only the window."""
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        })
        path = os.path.join(self.shots, name)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        return path

    def viewport(self, width, height, mobile):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    # Steps

    def open_with_key(self):
        self.driver.get(self.base_url + "/")
        self.wait(lambda: self.js("return document.body.dataset.ready === 'true'"), "the script to start")
        self.type_into(self.find("#api-key"), self.key)
        self.find("#api-key-use").click()
        select = self.find("#model-select")
        self.wait(lambda: select.is_enabled() and len(Select(select).options) > 1, "the model list")
        opened_on = Select(select).first_selected_option.get_attribute("value")
        if opened_on != MODEL:
            raise Failure(f"the page opened on {opened_on}, not the catalog's default {MODEL}")
        Select(select).select_by_value(MODEL)
        self.wait(lambda: self.driver.find_elements(By.CSS_SELECTOR, '[data-path="input.prompt"]'), "the prompt field")
        unlabelled = self.js("""
            return Array.from(document.querySelectorAll('#job-form input, #job-form select, #job-form textarea'))
              .filter((node) => !node.labels?.length && !node.getAttribute('aria-label')).map((node) => node.outerHTML);
        """)
        if unlabelled:
            raise Failure(f"form controls without a label: {unlabelled}")
        self.step(f"key accepted, {len(Select(select).options)} models listed, form for {MODEL} built, every control labelled")

    def empty_prompt_refused_in_the_page(self):
        prompt = self.field("input.prompt")
        self.find("#submit-job").click()
        self.wait(lambda: prompt.get_attribute("aria-invalid") == "true", "the empty prompt to be marked invalid")
        message = self.find(f"#{prompt.get_attribute('id')}-error").text
        if "required" not in message:
            raise Failure(f"the empty prompt's message is {message!r}")
        if self.find("#job-id").get_attribute("textContent"):
            raise Failure("a job was submitted with an empty prompt")
        self.step(f"empty prompt refused in the page before any request: {message!r}")

    def client_check_refuses_out_of_range(self):
        self.type_into(self.field("input.prompt"), "@Image1 comes alive as the camera pushes in")
        self.type_into(self.field("input.duration"), "20")
        self.find("#submit-job").click()
        duration = self.field("input.duration")
        self.wait(lambda: duration.get_attribute("aria-invalid") == "true", "the duration field to be marked invalid")
        message = self.find(f"#{duration.get_attribute('id')}-error").text
        if "3 to 15" not in message:
            raise Failure(f"duration error says {message!r}, not the range 3 to 15")
        if self.driver.switch_to.active_element != duration:
            raise Failure("focus did not move to the first invalid field")
        if self.find("#job-id").get_attribute("textContent"):
            raise Failure("a job was submitted although the form had a problem")
        self.type_into(duration, "5")
        self.wait(lambda: duration.get_attribute("aria-invalid") is None, "the duration problem to clear once fixed")
        self.step(f"client-side check: duration 20 refused beside the field ({message!r}), cleared when fixed")

    def server_details_map_to_fields(self):
        self.find('[data-testid="add:input.input_image"]').click()
        image = self.field("input.input_image[0]")
        self.type_into(image, "data:image/png;base64,@@not-base64@@")
        self.find("#submit-job").click()
        # Found afresh each time: the form may re-render the field when the server's answer arrives.
        self.wait(lambda: self.field("input.input_image[0]").get_attribute("aria-invalid") == "true",
                  "the server's problem on input.input_image[0]")
        image = self.field("input.input_image[0]")
        message = self.find(f"#{image.get_attribute('id')}-error").text
        banner = self.find("#form-errors").text
        self.step(f"server 422 detail shown beside input.input_image[0]: {message!r} (banner: {banner.splitlines()[0]!r})")

    def paste_into(self, element, text):
        """Sets a long value at once, as pasting does (typing thousands of characters takes minutes)."""
        self.js("""arguments[0].value = arguments[1];
            arguments[0].dispatchEvent(new Event('input', {bubbles: true}));
            arguments[0].dispatchEvent(new Event('change', {bubbles: true}));""", element, text)

    def submit_and_follow(self, duration, aspect_ratio, label):
        image = self.field("input.input_image[0]")
        self.paste_into(image, png_data_uri())
        self.type_into(self.field("input.duration"), str(duration))
        Select(self.field("input.aspect_ratio")).select_by_visible_text(aspect_ratio)
        self.wait(lambda: self.js("""
            const image = arguments[0].closest('.field').querySelector('[data-testid="thumbnail"]');
            return image && !image.hidden && image.naturalWidth > 0;""", self.field("input.input_image[0]")),
            "the image thumbnail")
        previous = self.find("#job-id").text
        self.find("#submit-job").click()
        self.wait(lambda: self.find("#job-id").text not in ("", previous), "the new job in the job panel")
        job_id = self.find("#job-id").text
        top = self.js("return document.getElementById('job-panel').getBoundingClientRect().top")
        height = self.js("return window.innerHeight")
        if not -1 <= top < height * 0.5:
            raise Failure(f"after Run the job panel's top is at {top} px in a {height} px window: out of view")
        seen = set()

        def status():
            return self.find('[data-testid="job-status"]').get_attribute("data-status")

        def finished():
            seen.add(status())
            return seen & {"completed", "failed", "cancelled"}

        self.wait(finished, f"job {job_id} to finish", seconds=60)
        if status() != "completed":
            raise Failure(f"job {job_id} ended {status()}: {self.find('#job-error').text}")
        video = self.find("#result-video")
        self.wait(lambda: self.js("return arguments[0].readyState >= 1 && arguments[0].duration > 0", video),
                  "the result video to load its metadata", seconds=30)
        source = video.get_attribute("src") or ""
        if video.get_attribute("data-stored") != "true" or f"/v1/jobs/{job_id}/files/" not in source or "signature=" not in source:
            raise Failure(f"the result video should play Spool's stored copy through a signed link, not {source!r}")
        download = self.find("#result-download").get_attribute("href") or ""
        if "download=1" not in download or "signature=" not in download:
            raise Failure(f"the download link should be a signed link to the stored file: {download!r}")
        if "Stored by Spool" not in self.find("#result-storage").text:
            raise Failure(f"the page should say the video is stored: {self.find('#result-storage').text!r}")
        logs = self.driver.find_elements(By.CSS_SELECTOR, "#job-log li")
        elapsed = self.find("#job-elapsed").text
        if not any("log-info" in (line.get_attribute("class") or "") for line in logs):
            raise Failure("no fal log line (event: log) reached the page")
        shown = self.find('#result-input [data-testid="input:duration"] dd').text
        if shown != str(duration):
            raise Failure(f"the input beside the video shows duration {shown!r}, not {duration}")
        self.step(f"{label}: job {job_id} completed (statuses seen {sorted(s for s in seen if s)}), elapsed {elapsed}, "
                  f"{len(logs)} log lines, video loaded ({self.js('return arguments[0].duration', video):.1f} s)")
        return job_id

    def curl_hides_the_key(self):
        curl = self.find("#curl-command")
        cut = self.js("return arguments[0].scrollWidth - arguments[0].clientWidth", curl)
        if cut > 1:
            raise Failure(f"the curl block is cut at the right by {cut} px")
        if self.key in curl.text or "$SPOOL_API_KEY" not in curl.text:
            raise Failure(f"the curl command should hide the key behind $SPOOL_API_KEY: {curl.text}")
        self.find("#curl-reveal").click()
        self.wait(lambda: self.key in curl.text, "the key to be revealed in the curl command")
        self.find("#curl-reveal").click()
        self.wait(lambda: self.key not in curl.text, "the key to be hidden again")
        self.step("curl command hides the key until revealed")

    def compare(self, first, second):
        self.find("#tab-compare").click()
        self.wait(lambda: self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="pick:{first}"]'), "the recent jobs")
        for job_id in (first, second):
            self.find(f'[data-testid="pick:{job_id}"]').click()
        self.wait(lambda: self.find("#compare-button").is_enabled(), "the Compare button")
        self.find("#compare-button").click()
        self.wait(lambda: self.js("""
            const videos = document.querySelectorAll('[data-testid="compare-video"]');
            return videos.length === 2 && Array.from(videos).every((video) => video.readyState >= 2);"""),
            "both videos to load", seconds=30)
        stored = self.js("""return Array.from(document.querySelectorAll('[data-testid="compare-video"]'))
            .map((video) => video.dataset.stored === 'true' && video.src.includes('/files/'));""")
        downloads = self.driver.find_elements(By.CSS_SELECTOR, '[data-testid="compare-download"]')
        if stored != [True, True] or len(downloads) != 2:
            raise Failure(f"compare should play both stored copies and offer two downloads: {stored}, {len(downloads)} links")
        differs = self.find('[data-testid="param:duration"]').get_attribute("data-differs")
        same = self.find('[data-testid="param:model"]').get_attribute("data-differs")
        if differs != "true" or same != "false":
            raise Failure(f"parameter rows: duration differs={differs}, model differs={same}")
        marked = [row.get_attribute("data-testid") for row in self.driver.find_elements(By.CSS_SELECTOR, "tr.differs")]
        self.find("#compare-play").click()
        self.wait(lambda: self.js("""return Array.from(document.querySelectorAll('[data-testid="compare-video"]'))
            .every((video) => !video.paused);"""), "every video to play")
        self.find("#compare-play").click()
        self.wait(lambda: self.js("""return Array.from(document.querySelectorAll('[data-testid="compare-video"]'))
            .every((video) => video.paused);"""), "every video to pause")
        seek = self.find("#compare-seek")
        seek.send_keys(Keys.END)
        self.wait(lambda: self.js("""
            const times = Array.from(document.querySelectorAll('[data-testid="compare-video"]')).map((video) => video.currentTime);
            return times.every((time) => time > 0) && Math.max(...times) - Math.min(...times) < 0.3;"""),
            "the seek to move every video to the same place")
        seek.send_keys(Keys.HOME)
        self.wait(lambda: self.js("""return Array.from(document.querySelectorAll('[data-testid="compare-video"]'))
            .every((video) => video.currentTime < 0.3);"""), "the seek back to the start")
        self.step(f"compare: two stored videos loaded with downloads, play/pause/seek drive both, differing rows {marked}")

    def phone_layout(self):
        self.viewport(390, 844, True)
        for tab, name in (("#tab-compare", "compare-phone.png"), ("#tab-run", "run-phone.png")):
            self.find(tab).click()
            time.sleep(0.3)  # let layout settle after the viewport change before the picture; nothing is awaited
            overflow = self.js("return document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                raise Failure(f"at 390 px the {tab[5:]} view scrolls sideways by {overflow} px")
            if tab == "#tab-compare":
                right = self.js("""const header = Array.from(document.querySelectorAll('#recent-jobs th'))
                    .find((cell) => cell.textContent === 'Prompt');
                    return header.getBoundingClientRect().right - window.innerWidth;""")
                if right > 1:
                    raise Failure(f"at 390 px the recent jobs' Prompt column ends {right} px past the screen")
            self.screenshot(name)
        self.viewport(1280, 900, False)
        self.step("phone width (390 px): no sideways scrolling in either view, Prompt column on screen; screenshots taken")

    def console_errors(self):
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"
                  and "@@not-base64@@" not in entry["message"] and "/v1/jobs" not in entry["message"]]
        if errors:
            raise Failure("browser console errors: " + " | ".join(errors))
        self.step("no errors in the browser console (no CSP violations)")

    def wrong_key_leaves_no_form(self):
        self.find("#tab-run").click()
        self.type_into(self.find("#api-key"), "spool_wrong_key")
        self.find("#api-key-use").click()
        self.wait(lambda: "refused" in self.find("#key-status").text, "the wrong key to be refused")
        left = self.js("return document.getElementById('input-fields').children.length")
        if left:
            raise Failure(f"after a wrong key, {left} fields of the previous model's form remain under 'No models'")
        self.screenshot("wrong-key-desktop.png")
        self.step("a wrong key: 'No models', and no form of the previous model")

    def run(self):
        self.open_with_key()
        self.empty_prompt_refused_in_the_page()
        self.client_check_refuses_out_of_range()
        self.server_details_map_to_fields()
        first = self.submit_and_follow(5, "16:9", "first job")
        self.curl_hides_the_key()
        self.screenshot("run-desktop.png")
        second = self.submit_and_follow(8, "9:16", "second job")
        self.compare(first, second)
        self.screenshot("compare-desktop.png")
        self.phone_layout()
        self.console_errors()
        self.wrong_key_leaves_no_form()


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        sys.exit(2)
    shots = sys.argv[3] if len(sys.argv) == 4 else "screenshots"
    bench = Workbench(sys.argv[1], sys.argv[2], shots)
    try:
        bench.run()
        print(f"ok: screenshots in {os.path.abspath(shots)}")
    except Exception as error:  # report any failure with a picture of the page at that moment
        try:
            print(f"screenshot of the failure: {bench.screenshot('failure.png')}")
        except Exception:  # the browser may be gone
            pass
        print(f"FAIL: {error}")
        sys.exit(1)
    finally:
        bench.driver.quit()


if __name__ == "__main__":
    main()
