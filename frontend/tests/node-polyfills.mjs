// vitest 5 targets Node >= 22 and its reporter calls Map.groupBy (Node 21+). This machine
// and CI run Node 20, so add the one missing function before vitest loads.
if (typeof Map.groupBy !== 'function') {
  Map.groupBy = function groupBy(items, keyOf) {
    const groups = new Map()
    let index = 0
    for (const item of items) {
      const key = keyOf(item, index++)
      const group = groups.get(key)
      if (group) group.push(item)
      else groups.set(key, [item])
    }
    return groups
  }
}
if (typeof Object.groupBy !== 'function') {
  Object.groupBy = function groupBy(items, keyOf) {
    const groups = Object.create(null)
    let index = 0
    for (const item of items) {
      const key = keyOf(item, index++)
      ;(groups[key] ??= []).push(item)
    }
    return groups
  }
}
