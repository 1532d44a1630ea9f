-- fresh locals per iteration; upvalues closed at loop exit, break and goto
local fs = {}
for i = 1, 3 do local x = i * 10; fs[#fs + 1] = function() x = x + 1; return x end end
print(fs[1](), fs[1](), fs[2](), fs[3]())
local gs = {}
for _, v in ipairs({"a", "b"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2]())
local hs = {}
local i = 0
while true do
  i = i + 1
  local y = i
  hs[i] = function() return y end
  if i == 3 then break end
end
print(hs[1](), hs[2](), hs[3]())
local rs = {}
local n = 0
repeat local z = n; rs[#rs + 1] = function() return z end; n = n + 1 until z >= 2
print(rs[1](), rs[3]())
