-- the line hook sees every iteration of a one-line numeric for loop
local t = {}
debug.sethook(function(e, l) t[#t + 1] = l end, "l")
load("for i=1,4 do a=1 end")()
debug.sethook()
print(#t, table.concat(t, " "))
