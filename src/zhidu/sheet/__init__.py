"""The 责任清单 as a spreadsheet: export a version to .xlsx, read a workbook back, merge edits, start a policy.

`layout` names the sheets and columns, `cells` turns the model into the cell texts every other module compares,
`export` writes the workbook, `read` reads one into typed rows, `merge` applies a sheet's edits to the YAML
through a ruamel round trip, and `new` builds a whole policy from a workbook.
"""
