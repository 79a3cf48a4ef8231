# smtplib and the Python 2 urllib; urllib.parse is not network
import smtplib
import urllib
from urllib.parse import urlencode, quote

smtplib.SMTP("mail.example.org")  # expect: perm-network
urllib.urlopen("http://example.org")  # expect: perm-network
q = urlencode({"a": 1}) + quote("b c")
