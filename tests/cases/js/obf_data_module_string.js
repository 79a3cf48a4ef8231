// A pure data module: its only statement exports a packed string (as
// caniuse-lite's data/regions/*.js do). Data cannot run itself.
// expect-none: obfuscation
module.exports="sOE7RSN%A|Jr3*XQJ}s.;3&=M!BJJYW>au}zSXC+oESGTA?j7Z}+{T&NhWR0{Y]N+2ns;}+z{IM>h#Nk%BCRSiZ)l6-DE#u_Euu5/BLP]aT*-H@8et~X;;Hu+m*^N|~-TSY0H!R<9?M6Xr-PrLZG.u)XobkwJJCYk8/JJg@:[US}<Z{a&C!1Ro5LrPBi_Zi%u+tl1];t&(hG*YyH=!|^H;;DT)v9u0!N7H1mMeSPDS?5VoP}8tF#cLW,}CxW[EIH9ajcapQMlwtK#xn3-!9!~lY}#JWt:jFJ/9&~3^*-Q5ArbLr6x-eI}1W^hjOgd-ebRem0oqap!P=aKzOPikL7v9a^l<]PU9Bc5:I~#{>7h)pz~r_(c%w3@D<#{Vc/JOzj]3x>:?3g[DSqi<YMr,;lLw4k2wOD5?^S3g*^";
