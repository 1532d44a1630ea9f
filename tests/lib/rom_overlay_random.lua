-- Random writes into a library table (a ROM table in moonlet, whose writes
-- go to its overlay) behave as in a plain table: a mirror copy must agree
-- on every read, on traversal and on the length border.
local lib = utf8
local mirror = {}
for k, v in pairs(lib) do mirror[k] = v end

local keys = {"char", "len", "offset", "codes", "codepoint", "charpattern"}
for c in ("abcdefgh"):gmatch(".") do keys[#keys + 1] = c end
for i = 1, 6 do keys[#keys + 1] = i end
keys[#keys + 1] = 2.0
keys[#keys + 1] = true

local seed = 12345
local function random(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local values = {false, 0, 1.5, "x", print, mirror}

local function same()
  local n1, n2 = 0, 0
  for k, v in pairs(lib) do
    n1 = n1 + 1
    if mirror[k] ~= v then return false, "pairs value of " .. tostring(k) end
  end
  for k in pairs(mirror) do n2 = n2 + 1 end
  if n1 ~= n2 then return false, "pairs count " .. n1 .. " ~= " .. n2 end
  local n = #lib
  if n > 0 and lib[n] == nil or lib[n + 1] ~= nil then return false, "border" end
  return true
end

local reads, checks = 0, 0
for op = 1, 3000 do
  local k = keys[random(#keys)]
  local v = random(4) == 1 and nil or values[random(#values)]
  if random(2) == 1 then lib[k] = v else rawset(lib, k, v) end
  mirror[k] = v
  for _, key in ipairs(keys) do
    assert(rawequal(lib[key], mirror[key]), "read of " .. tostring(key))
    reads = reads + 1
  end
  if op % 50 == 0 then
    assert(same())
    checks = checks + 1
  end
end
print(reads, checks)
-- next() from any present key continues the same traversal
local seen = 0
local k = next(lib)
while k ~= nil do
  seen = seen + 1
  k = next(lib, k)
end
local count = 0
for _ in pairs(mirror) do count = count + 1 end
print(seen == count)
