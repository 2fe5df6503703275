import Logging
import SpoolFal

/// Asks fal to delete its copy of a job's payloads and output files (`DELETE /v1/models/requests/{id}/payloads`
/// on fal's platform API, `fal.api_url`), for teams with `delete_fal_copy`, once Spool holds every file of the
/// job. A few attempts with backoff; a copy fal still holds after them is logged (fal's own retention then applies).
struct FalCopyDeleter: Sendable {
    let client: HTTPClient
    let configuration: SpoolConfiguration
    let logger: Logger

    /// fal's platform API: the setting, the emulator under `--sim`, else fal's.
    var apiURL: String {
        if let url = configuration.fal.apiURL { return url }
        return configuration.fal.emulated ? configuration.fal.queueURL : "https://api.fal.ai"
    }

    func delete(requestID: String, jobID: String) async {
        let url = apiURL + "/v1/models/requests/" + requestID + "/payloads"
        let request = HTTPClientRequest(
            method: .delete, url: url, headers: [("Authorization", "Key " + (configuration.fal.key ?? ""))],
            timeout: .seconds(30), maxResponseBytes: 64 * 1024)
        var last = ""
        for attempt in 0..<4 {
            if attempt > 0 { try? await Task.sleep(for: .seconds(Double(1 << attempt))) }
            if Task.isCancelled { break }
            do {
                let response = try await client.execute(request)
                if (200..<300).contains(response.status) || response.status == 404 {
                    logger.info("fal's copy deleted", metadata: ["job_id": "\(jobID)", "fal_status": "\(response.status)"])
                    return
                }
                last = "fal answered \(response.status)"
                if (400..<500).contains(response.status), response.status != 429 { break }
            } catch {
                last = "\(error)"
            }
        }
        logger.warning("could not delete fal's copy of a job", metadata: ["job_id": "\(jobID)", "error": "\(last)"])
    }
}
