-- router.lua: MQTT-style topic routing. Subscriptions are patterns with
-- '+' (one level) and '#' (the rest) wildcards, kept in a trie of levels;
-- publishing walks the trie and calls every matching handler in the order
-- of subscription. Retained messages are replayed to new subscribers.
local M = {}
M.__index = M

local function split(topic)
  local levels = {}
  for level in (topic .. "/"):gmatch("([^/]*)/") do levels[#levels + 1] = level end
  return levels
end

local function valid_pattern(levels)
  for i, level in ipairs(levels) do
    if level == "#" and i ~= #levels then return false end
    if level ~= "+" and level ~= "#" and level:find("[+#]") then return false end
  end
  return true
end

function M.new()
  return setmetatable({root = {children = {}, subs = {}}, nextid = 1,
                       retained = {}, delivered = 0}, M)
end

local function node_for(root, levels)
  local node = root
  for _, level in ipairs(levels) do
    local child = node.children[level]
    if not child then
      child = {children = {}, subs = {}}
      node.children[level] = child
    end
    node = child
  end
  return node
end

local function matches(pattern, topic)
  local p, t = split(pattern), split(topic)
  for i, level in ipairs(p) do
    if level == "#" then return true end
    if t[i] == nil then return false end
    if level ~= "+" and level ~= t[i] then return false end
  end
  return #p == #t
end

function M:subscribe(pattern, handler)
  local levels = split(pattern)
  if not valid_pattern(levels) then return nil, "bad pattern '" .. pattern .. "'" end
  local id = self.nextid
  self.nextid = id + 1
  local subs = node_for(self.root, levels).subs
  subs[#subs + 1] = {id = id, handler = handler, pattern = pattern}
  for topic, payload in pairs(self.retained) do
    if matches(pattern, topic) then handler(topic, payload, true) end
  end
  return id
end

local function remove_id(node, id)
  for i, sub in ipairs(node.subs) do
    if sub.id == id then
      table.remove(node.subs, i)
      return true
    end
  end
  for _, child in pairs(node.children) do
    if remove_id(child, id) then return true end
  end
  return false
end

function M:unsubscribe(id)
  return remove_id(self.root, id)
end

-- Every subscription matching the levels from index i down, collected.
local function collect(node, levels, i, out)
  local hash = node.children["#"]
  if hash then
    for _, sub in ipairs(hash.subs) do out[#out + 1] = sub end
  end
  if i > #levels then
    for _, sub in ipairs(node.subs) do out[#out + 1] = sub end
    return
  end
  local exact = node.children[levels[i]]
  if exact then collect(exact, levels, i + 1, out) end
  local plus = node.children["+"]
  if plus then collect(plus, levels, i + 1, out) end
end

function M:publish(topic, payload, retain)
  if topic:find("[+#]") then return nil, "wildcards in a topic" end
  if retain then self.retained[topic] = payload end
  local found = {}
  collect(self.root, split(topic), 1, found)
  table.sort(found, function(a, b) return a.id < b.id end)
  for _, sub in ipairs(found) do
    sub.handler(topic, payload, false)
    self.delivered = self.delivered + 1
  end
  return #found
end

function M:count()
  local n = 0
  local function walk(node)
    n = n + #node.subs
    for _, child in pairs(node.children) do walk(child) end
  end
  walk(self.root)
  return n
end

M.matches = matches
return M
