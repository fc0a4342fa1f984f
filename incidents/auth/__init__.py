"""Sign-in, accounts and sessions: who is asking. What they may see is incidents.access.

No Streamlit here: the app's identity page (app_pages/identity.py) wires these to
st.session_state and st.login; the command line manages accounts.
"""
