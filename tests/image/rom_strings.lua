-- moonlet-only: the standard libraries' keys are ROM strings; the same
-- text in code run from a flash image is the same string (the image refers
-- to the ROM string instead of copying it), so == and table keys agree.
-- The expected output after the first line is lua5.3's for mods/romkeys.lua.
local run = node.LFS.get("romkeys")
print("from flash", run ~= nil)
run()
