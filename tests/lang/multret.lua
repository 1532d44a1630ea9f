-- multiple results adjusted as 5.3 does
local function three() return 1, 2, 3 end
local function none() end
print(three())
print(three(), 10)
print((three()))
print({three()}[3], #{three(), three()}, #{(three())})
print(none())
print(none(), 1)
local a, b, c, d = none()
print(a, b, c, d)
print(select('#', three()), select('#', (three())), select('#', none()))
print(math.max(three()), string.char(72, three()) == "H\1\2\3")
local t = {three(), x = 1, three()}
print(#t)
local function passthrough(...) return ... end
print(passthrough(three()))
print(pcall(three))
return
