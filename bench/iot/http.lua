-- http.lua: a small HTTP/1.0 handler for the device's status page and
-- API: request parsing, URL decoding, query strings, routes with
-- parameters, JSON encoding of the answers.
local M = {}

local reasons = {
  [200] = "OK", [201] = "Created", [204] = "No Content", [400] = "Bad Request",
  [404] = "Not Found", [405] = "Method Not Allowed", [500] = "Internal Server Error",
}

function M.urldecode(s)
  s = s:gsub("+", " ")
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

function M.parse_query(q)
  local args = {}
  for pair in q:gmatch("[^&]+") do
    local k, v = pair:match("^([^=]*)=?(.*)$")
    args[M.urldecode(k)] = M.urldecode(v)
  end
  return args
end

function M.parse_request(raw)
  local head, body = raw:match("^(.-)\r\n\r\n(.*)$")
  if not head then return nil, "incomplete request" end
  local lines = {}
  for line in (head .. "\r\n"):gmatch("(.-)\r\n") do lines[#lines + 1] = line end
  local method, target, version = lines[1]:match("^(%u+) (%S+) HTTP/(%d%.%d)$")
  if not method then return nil, "bad request line" end
  local path, query = target:match("^([^?]*)%??(.*)$")
  local req = {method = method, path = M.urldecode(path), version = version,
               query = M.parse_query(query), headers = {}, body = body}
  for i = 2, #lines do
    local name, value = lines[i]:match("^([%w%-]+):%s*(.*)$")
    if not name then return nil, "bad header" end
    req.headers[name:lower()] = value
  end
  local length = tonumber(req.headers["content-length"] or "0")
  if length and #body < length then return nil, "incomplete body" end
  return req
end

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local named = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t"}
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

function M.json(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    if math.type(v) == "integer" then return tostring(v) end
    return string.format("%.4g", v)
  end
  if t == "string" then return encode_string(v) end
  if #v > 0 or next(v) == nil then
    local parts = {}
    for i = 1, #v do parts[i] = M.json(v[i]) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = encode_string(k) .. ":" .. M.json(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function M.response(status, body, ctype)
  body = body or ""
  return table.concat({
    "HTTP/1.0 ", status, " ", reasons[status] or "Unknown", "\r\n",
    "Content-Type: ", ctype or "application/json", "\r\n",
    "Content-Length: ", #body, "\r\n",
    "Connection: close\r\n\r\n", body})
end

local Server = {}
Server.__index = Server

function M.server()
  return setmetatable({routes = {}, served = 0}, Server)
end

-- Patterns like "/sensors/:name": ':name' captures one path segment.
function Server:route(method, pattern, handler)
  local names = {}
  local lua_pattern = "^" .. pattern:gsub(":(%w+)", function(name)
    names[#names + 1] = name
    return "([^/]+)"
  end) .. "$"
  self.routes[#self.routes + 1] = {method = method, pattern = lua_pattern,
                                   names = names, handler = handler}
end

function Server:handle(raw)
  self.served = self.served + 1
  local req, err = M.parse_request(raw)
  if not req then return M.response(400, M.json({error = err})) end
  local allowed = false
  for _, r in ipairs(self.routes) do
    local caps = {req.path:match(r.pattern)}
    if caps[1] then
      if r.method == req.method then
        req.params = {}
        for i, name in ipairs(r.names) do req.params[name] = caps[i] end
        local ok, status, body = pcall(r.handler, req)
        if not ok then return M.response(500, M.json({error = tostring(status)})) end
        return M.response(status, body and M.json(body))
      end
      allowed = true
    end
  end
  if allowed then return M.response(405, M.json({error = "method not allowed"})) end
  return M.response(404, M.json({error = "no such page", path = req.path}))
end

return M
