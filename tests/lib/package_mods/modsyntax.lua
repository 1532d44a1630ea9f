-- a module that does not compile
local x = = 1
