# a fetch and a run far apart in a big tool file are not a dropper
# expect-none: download-exec
import subprocess
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url) as r:
        data = r.read()
    with open("cache.json", "wb") as f:
        f.write(data)
    return data


def helper_0(x):
    return x + 0


def helper_1(x):
    return x + 1


def helper_2(x):
    return x + 2


def helper_3(x):
    return x + 3


def helper_4(x):
    return x + 4


def helper_5(x):
    return x + 5


def helper_6(x):
    return x + 6


def helper_7(x):
    return x + 7


def helper_8(x):
    return x + 8


def helper_9(x):
    return x + 9


def helper_10(x):
    return x + 10


def helper_11(x):
    return x + 11


def helper_12(x):
    return x + 12


def helper_13(x):
    return x + 13


def helper_14(x):
    return x + 14


def helper_15(x):
    return x + 15


def helper_16(x):
    return x + 16


def helper_17(x):
    return x + 17


def helper_18(x):
    return x + 18


def helper_19(x):
    return x + 19


def helper_20(x):
    return x + 20


def helper_21(x):
    return x + 21


def helper_22(x):
    return x + 22


def helper_23(x):
    return x + 23


def helper_24(x):
    return x + 24


def helper_25(x):
    return x + 25


def helper_26(x):
    return x + 26


def helper_27(x):
    return x + 27


def helper_28(x):
    return x + 28


def helper_29(x):
    return x + 29


def helper_30(x):
    return x + 30


def helper_31(x):
    return x + 31


def helper_32(x):
    return x + 32


def helper_33(x):
    return x + 33


def helper_34(x):
    return x + 34


def helper_35(x):
    return x + 35


def helper_36(x):
    return x + 36


def helper_37(x):
    return x + 37


def helper_38(x):
    return x + 38


def helper_39(x):
    return x + 39


def helper_40(x):
    return x + 40


def helper_41(x):
    return x + 41


def helper_42(x):
    return x + 42


def helper_43(x):
    return x + 43


def helper_44(x):
    return x + 44


def helper_45(x):
    return x + 45


def helper_46(x):
    return x + 46


def helper_47(x):
    return x + 47


def helper_48(x):
    return x + 48


def helper_49(x):
    return x + 49


def helper_50(x):
    return x + 50


def helper_51(x):
    return x + 51


def helper_52(x):
    return x + 52


def helper_53(x):
    return x + 53


def helper_54(x):
    return x + 54


def helper_55(x):
    return x + 55


def helper_56(x):
    return x + 56


def helper_57(x):
    return x + 57


def helper_58(x):
    return x + 58


def helper_59(x):
    return x + 59


def run(cmd):
    return subprocess.call(cmd)
