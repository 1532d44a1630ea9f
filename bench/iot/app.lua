-- app.lua: the IoT node. Reads simulated temperature and humidity
-- sensors through filters, publishes readings and alarms on MQTT-style
-- topics, keeps statistics from its own subscriptions, and answers HTTP
-- requests for status and configuration, all driven by the scheduler.
local config = require("config")
local router = require("router")
local filter = require("filter")
local http = require("http")
local sched = require("sched")

local App = {}
App.__index = App

-- A deterministic sensor: a slow wave, noise from an LCG, rare spikes.
local function sensor(base, swing, seed)
  local state = seed
  local t = 0
  return function()
    state = (state * 1103515245 + 12345) % 2147483648
    t = t + 1
    local noise = (state % 1000) / 1000 - 0.5
    local spike = (state % 97 == 0) and 15 or 0
    return base + swing * math.sin(t / 20) + noise + spike
  end
end

function App.new(overrides)
  local cfg, errors = config.load(overrides)
  local self = setmetatable({cfg = cfg, errors = errors, stats = {}, alarms = {},
                             bus = router.new(), clock = sched.new(),
                             web = http.server()}, App)
  self.sensors = {
    temperature = {read = sensor(21, 6, 7), filter = filter.chain(
      filter.outliers(cfg.filter_window, 3), filter.median(5), filter.kalman(0.01, 0.5)),
      alarm = filter.hysteresis(cfg.temp_alarm_high, 1.0)},
    humidity = {read = sensor(55, 20, 11), filter = filter.chain(
      filter.outliers(cfg.filter_window, 3), filter.moving_average(cfg.filter_window)),
      alarm = filter.hysteresis(cfg.humidity_alarm_high, 5.0)},
  }
  self:wire()
  return self
end

function App:topic(...)
  return table.concat({self.cfg.topic_prefix, self.cfg.device_id, ...}, "/")
end

function App:wire()
  local stats, alarms = self.stats, self.alarms
  self.bus:subscribe(self.cfg.topic_prefix .. "/+/sensor/#", function(topic, value)
    local name = topic:match("([^/]+)$")
    local s = stats[name] or {n = 0, sum = 0, min = math.huge, max = -math.huge}
    stats[name] = s
    s.n, s.sum = s.n + 1, s.sum + value
    s.min, s.max = math.min(s.min, value), math.max(s.max, value)
  end)
  self.bus:subscribe(self.cfg.topic_prefix .. "/+/alarm/+", function(topic, on)
    alarms[#alarms + 1] = {topic = topic:match("([^/]+)$"), on = on, at = self.clock.now}
  end)
  for name, s in pairs(self.sensors) do
    self.clock:every(self.cfg.sample_period_ms, function()
      local value = s.filter.update(s.read())
      if value == nil then return end
      self.bus:publish(self:topic("sensor", name), value)
      local on = s.alarm.update(value)
      if on ~= s.alarmed then
        s.alarmed = on
        self.bus:publish(self:topic("alarm", name), on, true)
      end
    end)
  end
  self.web:route("GET", "/status", function() return 200, self:status() end)
  self.web:route("GET", "/sensors/:name", function(req)
    local s = stats[req.params.name]
    if not s then return 404, {error = "no sensor " .. req.params.name} end
    return 200, {name = req.params.name, mean = s.sum / s.n, min = s.min, max = s.max, n = s.n}
  end)
  self.web:route("GET", "/config", function() return 200, self.cfg end)
  self.web:route("POST", "/config", function(req)
    local values, errs = config.parse(req.body)
    if #errs > 0 then return 400, {errors = errs} end
    local cfg, bad = config.load(values)
    if #bad > 0 then return 400, {errors = bad} end
    self.cfg = cfg
    return 204
  end)
end

function App:status()
  local out = {device = self.cfg.device_id, uptime_ms = self.clock.now,
               delivered = self.bus.delivered, alarms = #self.alarms, sensors = {}}
  for name, s in pairs(self.stats) do out.sensors[name] = s.n end
  return out
end

function App:run(ms)
  self.clock:run(self.clock.now + ms)
end

return App
