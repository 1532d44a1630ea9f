-- config.lua: the device configuration: defaults, validation, overrides
-- from "key = value" text (as a config file on the device), and a stable
-- serialization to write it back.
local M = {}

local defaults = {
  device_id = "node-0001",
  wifi_ssid = "factory",
  wifi_retries = 5,
  mqtt_host = "10.0.0.2",
  mqtt_port = 1883,
  mqtt_keepalive = 60,
  topic_prefix = "site/hall",
  sample_period_ms = 2000,
  report_period_ms = 10000,
  temp_alarm_high = 30.0,
  temp_alarm_low = 5.0,
  humidity_alarm_high = 80.0,
  filter_window = 8,
  http_port = 80,
  log_level = "info",
}

-- The type and range each key must have.
local schema = {
  device_id = {kind = "string", min = 1, max = 32},
  wifi_ssid = {kind = "string", min = 1, max = 32},
  wifi_retries = {kind = "integer", min = 0, max = 100},
  mqtt_host = {kind = "string", min = 1, max = 64},
  mqtt_port = {kind = "integer", min = 1, max = 65535},
  mqtt_keepalive = {kind = "integer", min = 5, max = 3600},
  topic_prefix = {kind = "string", min = 1, max = 64},
  sample_period_ms = {kind = "integer", min = 100, max = 3600000},
  report_period_ms = {kind = "integer", min = 1000, max = 86400000},
  temp_alarm_high = {kind = "number", min = -40, max = 125},
  temp_alarm_low = {kind = "number", min = -40, max = 125},
  humidity_alarm_high = {kind = "number", min = 0, max = 100},
  filter_window = {kind = "integer", min = 1, max = 64},
  http_port = {kind = "integer", min = 1, max = 65535},
  log_level = {kind = "enum", values = {debug = true, info = true, warn = true, error = true}},
}

local function check(key, value)
  local rule = schema[key]
  if not rule then return nil, "unknown key '" .. key .. "'" end
  if rule.kind == "string" then
    if type(value) ~= "string" then return nil, key .. ": string expected" end
    if #value < rule.min or #value > rule.max then
      return nil, key .. ": length out of range"
    end
  elseif rule.kind == "integer" then
    if math.type(value) ~= "integer" then return nil, key .. ": integer expected" end
    if value < rule.min or value > rule.max then return nil, key .. ": out of range" end
  elseif rule.kind == "number" then
    if type(value) ~= "number" then return nil, key .. ": number expected" end
    if value < rule.min or value > rule.max then return nil, key .. ": out of range" end
  elseif rule.kind == "enum" then
    if not rule.values[value] then return nil, key .. ": bad value '" .. tostring(value) .. "'" end
  end
  return true
end

-- Text values become the key's type.
local function convert(key, text)
  local rule = schema[key]
  if not rule then return text end
  if rule.kind == "integer" then return math.tointeger(tonumber(text)) end
  if rule.kind == "number" then return tonumber(text) end
  return text
end

function M.parse(text)
  local values, errors = {}, {}
  local lineno = 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    lineno = lineno + 1
    line = line:gsub("#.*$", ""):match("^%s*(.-)%s*$")
    if line ~= "" then
      local key, value = line:match("^([%w_]+)%s*=%s*(.-)$")
      if not key then
        errors[#errors + 1] = "line " .. lineno .. ": syntax error"
      else
        value = value:match('^"(.*)"$') or value
        values[key] = convert(key, value)
      end
    end
  end
  return values, errors
end

function M.load(overrides)
  local cfg, errors = {}, {}
  for k, v in pairs(defaults) do cfg[k] = v end
  for k, v in pairs(overrides or {}) do
    local ok, err = check(k, v)
    if ok then cfg[k] = v else errors[#errors + 1] = err end
  end
  if cfg.temp_alarm_low >= cfg.temp_alarm_high then
    errors[#errors + 1] = "temp_alarm_low must be below temp_alarm_high"
    cfg.temp_alarm_low, cfg.temp_alarm_high = defaults.temp_alarm_low, defaults.temp_alarm_high
  end
  table.sort(errors)
  return cfg, errors
end

function M.serialize(cfg)
  local keys = {}
  for k in pairs(cfg) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = cfg[k]
    if type(v) == "string" then v = '"' .. v .. '"' end
    out[#out + 1] = k .. " = " .. tostring(v)
  end
  return table.concat(out, "\n") .. "\n"
end

function M.defaults()
  local copy = {}
  for k, v in pairs(defaults) do copy[k] = v end
  return copy
end

return M
