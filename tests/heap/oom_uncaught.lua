-- moonlet-only: an uncaught out-of-memory error in a capped heap prints the
-- message, then the heap report (bytes and count per type, free, largest
-- free block, fragmentation, the size asked and the Lua position), status 1
local i = -1
while arg[i - 1] do i = i - 1 end
local cmd = arg[i] .. " --heap 32k -e \"local t = {} for i = 1, 1e6 do" ..
  " t[i] = tostring(i) .. 'padding' end\" 2>&1; echo status $?"
local p = io.popen(cmd)
local out = p:read("a")
p:close()
print(out:match("^[^\n]*"))
print(out:find("\nHeap report @ out of memory: %d+ bytes asked for at %(command line%):1\n") ~= nil)
print(out:find("| string ", 1, true) ~= nil, out:find("| table array ", 1, true) ~= nil)
print(out:find("of a 32768%-byte heap") ~= nil)
print(out:find("largest free block %d+ bytes, fragmentation [%d.]+%%") ~= nil)
print(out:match("status (%d+)"))
