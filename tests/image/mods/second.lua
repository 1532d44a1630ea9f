return function()
  return "second image"
end
