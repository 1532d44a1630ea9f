-- an uncaught error prints the message and traceback, exit status 1
local function inner() error("fatal problem") end
local function outer() inner() end
print("before")
outer()
print("never")
