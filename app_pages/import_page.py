"""Import page: upload a file, check how it reads, map its columns, preview, check,
import (steps in app_pages/import_flow.py, the work in incidents).

The report says what happened to every row; rejected rows and warnings can be
downloaded, fixed in a spreadsheet and the rejected file uploaded again as it is.
"""

from __future__ import annotations

from app_pages import import_flow

import_flow.main()
