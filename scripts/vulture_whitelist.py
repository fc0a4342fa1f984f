"""Names vulture reports as unused that the app does use: scripts/test.sh passes this
file to vulture beside the product's folders.

app_pages/common.py: the cached readers (_distinct, _rows) take the viewer's access key
only so that st.cache_data keys their entries by it (Streamlit hashes every argument).
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()
_.access  # noqa: B018
