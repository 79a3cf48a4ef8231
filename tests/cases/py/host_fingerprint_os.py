# host identity via os and uuid
import os
import uuid

login = os.getlogin()  # expect: host-fingerprint
uname = os.uname()  # expect: host-fingerprint
mac = uuid.getnode()  # expect: host-fingerprint
