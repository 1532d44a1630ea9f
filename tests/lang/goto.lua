-- goto and labels
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
do
  local k = 0
  ::top::
  k = k + 1
  if k < 5 then goto top end
  print(k)
end
local fs = {}
do
  local i = 1
  ::again::
  local x = i
  fs[#fs + 1] = function() return x end
  i = i + 1
  if i <= 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())
print(load("goto nowhere"))
print(load("do local a ::l:: end goto l"))
print(load("::a:: ::a::"))
print(load("goto f; local x; ::f:: print(x)"))
print(load("do goto f; local x; ::f:: end"))
print(load("break"))
