-- debug.debug: runs each line of stdin until "cont"; errors are reported
-- on stderr and the loop goes on; the prompt goes to stderr too
io.stdout:setvbuf("no")
Shared = "before"
print("start")
debug.debug()
print("after first", Shared)
debug.debug() -- reads up to the end of the input
print("end")
