# httpx, aiohttp, ftplib
import aiohttp
import ftplib
import httpx

httpx.post("https://example.org", data={})  # expect: perm-network
aiohttp.ClientSession()  # expect: perm-network
ftplib.FTP("ftp.example.org")  # expect: perm-network
