-- args: --heap 4m
-- moonlet-only: a corrupt binary chunk (cut at every length, or with any one
-- byte changed in several ways) is refused with a message or loads a
-- function that runs; it never crashes the VM (also run under SAN=1)
local up = 3
local funcs = {
  function(a, b, ...)
    local t = {...}
    for i = 1, #t do a = a + t[i] end
    return a * b, select("#", ...)
  end,
  function(x)
    local s = 0
    for i = 1, 10, 2 do s = s + i * (x or 1) end
    for _, v in pairs({1, 2, z = 3}) do s = s + v end
    return s
  end,
  function()
    local t = {1, 2, 3, "x", 4.5, nil, true}
    up = up + 1
    return #t, t[4] .. up, function() return up end
  end,
  function(n)
    if n > 1 and n < 10 then return n .. "!"
    elseif n == 0 then return nil
    else return ({n, n})[2] end
  end,
}

local headerlen = 4 + 1 + 1 + 6 + 5 + string.packsize("j") + string.packsize("n") + 3
local stats = {loaded = 0, refused = 0, ran = 0, failed = 0}
local oddmsgs = {}

local function wellformed(m)
  return m:find("^flip: .* precompiled chunk$") or
         m:find("^flip: bad binary format %(.+%)$") or
         m == "attempt to load a text chunk (mode is 'b')" or
         m == "not enough memory"
end

local function runlimited(f)
  local n = 0
  debug.sethook(function()
    n = n + 1
    if n > 20 then error("too long") end
  end, "", 100)
  local ok = pcall(f, 1, 2, 3)
  debug.sethook()
  return ok
end

local function try(s)
  local f, m = load(s, "=flip", "b")
  if not f then
    stats.refused = stats.refused + 1
    if not wellformed(m) then oddmsgs[#oddmsgs + 1] = m end
    return
  end
  stats.loaded = stats.loaded + 1
  if runlimited(f) then stats.ran = stats.ran + 1
  else stats.failed = stats.failed + 1 end
end

local truncated_ok, header_ok = true, true
for _, fn in ipairs(funcs) do
  for _, strip in ipairs{false, true} do
    local d = string.dump(fn, strip)
    for i = 1, #d - 1 do
      local f, m = load(d:sub(1, i), "=cut", "b")
      if f or not m:find("^cut: truncated precompiled chunk$") then
        truncated_ok = false
      end
    end
    for i = 1, headerlen do
      local s = d:sub(1, i - 1) .. string.char((d:byte(i) + 1) & 0xff) .. d:sub(i + 1)
      if load(s, "=hdr", "b") then header_ok = false end
    end
    for i = 1, #d do
      local b = d:byte(i)
      for _, nb in ipairs{b ~ 0xff, (b + 1) & 0xff, (b - 1) & 0xff, b ~ 1,
                          b ~ 0x80, b ~ 0x10, b ~ 4, 0, 0xff} do
        if nb ~= b then try(d:sub(1, i - 1) .. string.char(nb) .. d:sub(i + 1)) end
      end
      if i % 16 == 0 then collectgarbage() end
    end
  end
end
collectgarbage()

print("every truncation refused as truncated:", truncated_ok)
print("every header change refused:", header_ok)
print("some changed chunks refused:", stats.refused > 0)
print("some changed chunks still load:", stats.loaded > 0)
print("all loaded ones ran or raised:", stats.ran + stats.failed == stats.loaded)
print("messages well formed:", #oddmsgs == 0, oddmsgs[1])

-- the unchanged chunks still work
print(load(string.dump(funcs[1]))(1, 2, 3, 4))
print(load(string.dump(funcs[4], true))(5))
