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
function L(src) local f, e = load(src) print(f and "compiles" or e) end
L("goto nowhere")
L("do local a ::l:: end goto l")
L("::a:: ::a::")
L("goto f; local x; ::f:: print(x)")
L("do goto f; local x; ::f:: end")
L("break")
