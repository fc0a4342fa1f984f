"""Values the export tests plant in the store and then look for (or must not find)."""

SECRET = "WITNESS-SECRET-7731"
RESTRICTED_TITLE = "Restricted record not for the public"
FORMULA_TITLE = '=HYPERLINK("http://evil.invalid","click")'
