-- args: --heap 32k
-- moonlet-only: an uncaught out-of-memory error ends the program with status 1
local t = {}
for i = 1, 1e6 do t[i] = tostring(i) .. "padding" end
