# URLs and paths in prose docstrings are documentation, not behaviour
# expect-none: shady-url, sensitive-read


def bytes2human(n):
    """Used by various scripts. See:
    http://goo.gl/zeJZl

    >>> secure_filename("../../../etc/passwd")
    'etc_passwd'
    """
    return str(n)


class Adapter:
    """
    A HTTPS adapter that sets the hostname for certificate verification,
    for a request to an address such as https://93.184.216.34/ directly.
    """
