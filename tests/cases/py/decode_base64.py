# base64 family
import base64

a = base64.b64decode(s1)  # expect: perm-decode
b = base64.b32decode(s2)  # expect: perm-decode
c = base64.b16decode(s3)  # expect: perm-decode
