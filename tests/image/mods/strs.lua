-- string literals, as NodeMCU's dummy_strings.lua: they go to the flash
-- string table
local _ = {
  "hello from the flash string table",
  "sensor/temperature",
}
