-- moonlet-only: --dump-strings writes the strings alive at exit as a module
local moonlet = os.getenv("MOONLET") or "build/moonlet"
local moonletc = os.getenv("MOONLETC") or "build/moonletc"
local dir = os.tmpname()
os.remove(dir)
local mod, img = dir .. "strings.lua", dir .. ".img"
assert(os.execute(moonlet .. " --dump-strings " .. mod ..
                  " -e \"keep = 'a string to keep'\""))
local text = io.open(mod):read("a")
print(text:match("^[^\n]*"))
-- (not the ROM ones, as "print": every build has them)
print(text:find('"a string to keep",', 1, true) ~= nil,
      text:find('"print",', 1, true) == nil)
-- built into an image, those strings live in flash
assert(os.execute(moonletc .. " -f -o " .. img .. " " .. mod))
local probe = "collectgarbage() collectgarbage('stop') " ..
              "local b = collectgarbage('count') local s = ('<a string to keep>'):sub(2, -2) " ..
              "print(collectgarbage('count') - b == 0)"
assert(os.execute(moonlet .. " --image " .. img .. " -e \"" .. probe .. "\""))
os.remove(mod)
os.remove(img)
