-- wrk script: POST /v1/jobs with the contract's example input, with `Authorization: Bearer $KEY`. No `response`
-- function, for the reason get-with-key.lua gives; bench/http.sh checks the statuses from wrk's non-2xx count.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"model":"kling-video-o3-pro-reference-to-video","input":{"prompt":"@Element1 walks through @Image1",
"input_image":["https://example.com/scene.png"],"elements":[{"frontal_image_url":"https://example.com/face.png",
"reference_image_urls":["https://example.com/side.png"]}],"duration":5,"aspect_ratio":"9:16"}}]]
