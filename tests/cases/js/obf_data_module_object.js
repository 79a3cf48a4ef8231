// A data module exporting an object of literals only: no obfuscation.
// expect-none: obfuscation
"use strict";
module.exports = {
  version: 3,
  packed: "sOE7RSN%A|Jr3*XQJ}s.;3&=M!BJJYW>au}zSXC+oESGTA?j7Z}+{T&NhWR0{Y]N+2ns;}+z{IM>h#Nk%BCRSiZ)l6-DE#u_Euu5/BLP]aT*-H@8et~X;;Hu+m*^N|~-TSY0H!R<9?M6Xr-PrLZG.u)XobkwJJCYk8/JJg@:[US}<Z{a&C!1Ro5LrPBi_Zi%u+tl1];t&(hG*YyH=!|^H;;DT)v9u0!N7H1mMeSPDS?5VoP}8tF#cLW,}CxW[EIH9ajcapQMlwtK#xn3-!9!~lY}#JWt:jFJ/9&~3^*-Q5ArbLr6x-eI}1W^hjOgd-ebRem0oqap!P=aKzOPikL7v9a^l<]PU9Bc5:I~#{>7h)pz~r_(c%w3@D<#{Vc/JOzj]3x>:?3g[DSqi<YMr,;lLw4k2wOD5?^S3g*^",
  "blob": 'cuuoSGKGzWFPFEDI6ZDXqicBH+MPxgzeEKEB1M4IC/0A4XAboH4UQ60ZZe+LH8gSpabYLjVj2j0Y1O76DriY2CWfkjkZOEa3aFCvvj6p0fY5IrwTzcON9KphUwqz1/RqVpo+2Bu4aRKzS7sVfRi4LvI6pJH6h46d4uSl/3l27uYLnq9ASZBn5Afs03Gh88DvrqmEYNrLPvs8TWVLjUGWoIxDU9wY9nfIP6oCX3uf+AufLiYjrCm/79Qqda5SiEbYJRy1XEr6o4WQdz03jRz/RxkhoQGnQ/yc961NLTc3UQywKzwzkTgZ0KpZPv5XAaoJt+1cLNsKWnDqDbbTCU+mvTQCA1hBRQlllY7DiTKSmIHiHXgFULu+daV2r/wz0inmIEEqW7qjnmuIIBR6CZYDVPhB5MxUqTKUlfPMRH3zW+XSsa/ZqlMZSuEsi369rA5fT3RjkrqjThTNurdDRfMAfFQ2kgU2hn0HdhUn3FL4YD2g0/StNpBY1GbB9f04H6Xj6acHM7fWt6EqZxeu1luQBqbHtcZe87a1X+PEupmBMLZNFgroY/hei9nnmbaW3F9nFJkY5iyNyib7LzmGiN/LHAjUol+0/fCryeD932+ZdjgZI7G3rYogpveWjDPtr9Pgzx8Fg7MPgMA7zegAXS7tkG2BGpu/g6LJNu1s3/vls2g9ycUXevzXDkrfVwcYQJqZVnxRZ+BnFt1ptJ4TyNimSBIf0Pbefib0FaA/TUBzwnNKUc1Ej8wDvZQApxFouOcwOISF533/GkVqnnH+Am0JN1l2d6KgasxV',
  list: [1, -2, !0, null, void 0, `plain`, { nested: true }],
};
