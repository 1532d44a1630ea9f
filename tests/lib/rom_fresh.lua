-- moonlet-only: a fresh state's RAM with every standard library open.
-- Bounds only (the figures: docs/rom-tables.md); with the libraries'
-- tables in RAM they were 19.4 KB (default) and 12.8 KB (small, 32-bit).
collectgarbage()
local kb = collectgarbage("count")
local bound
if #string.pack("j", 0) == 8 then bound = 14      -- default build
elseif #string.pack("T", 0) == 8 then bound = 10  -- small, 64-bit
else bound = 9 end                                 -- small, 32-bit (node lib in RAM)
print(kb < bound or kb)
