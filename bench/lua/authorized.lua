-- wrk script: GET with `Authorization: Bearer $KEY`.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
response = function(status, headers, body)
  if status ~= 200 then error("answered " .. status .. ": " .. body) end
end
