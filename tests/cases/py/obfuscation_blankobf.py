# BlankOBF-style: eval("eval"), eval(compile("__import__('codecs')")), escaped names
_____=eval("\145\166\x61\154");_______=_____("\x63\x6f\155\160\151\154\145")  # expect: obfuscation
____=_____(_______("\x5f\x5f\x69\x6d\x70\x6f\x72\x74\x5f\x5f\x28\x27\x63\x6f\x64\x65\x63\x73\x27\x29","","eval"))
______=____.decode(blob, "rot13")  # expect: perm-decode
_____(_______(______, "<x>", "exec"))  # expect: perm-codegen
