-- wrk script: GETs of random 1 MiB ranges of a SIZE-byte file, with `Authorization: Bearer $KEY` when KEY is set;
-- any answer but 206 stops the run.
local size = tonumber(os.getenv("SIZE"))
local span = 1024 * 1024
local key = os.getenv("KEY")
math.randomseed(os.time())
request = function()
  local first = math.random(0, size - span)
  local headers = { ["Range"] = "bytes=" .. first .. "-" .. (first + span - 1) }
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  return wrk.format("GET", nil, headers)
end
response = function(status, headers, body)
  if status ~= 206 then error("answered " .. status) end
end
