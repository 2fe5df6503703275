import Foundation

/// The videos every successful run's output is made from, one per aspect ratio (`SampleVideoTiming` stretches
/// them to the run's duration). This is the 16:9 one: a real, playable MP4 (1 s of ffmpeg's `testsrc` pattern,
/// 160x90, 10 fps, H.264 Constrained Baseline, yuv420p, `moov` before `mdat` so that playback can start before
/// the download ends).
///
/// It is embedded as base64 so that the emulator serves it from any working directory. Regenerate with:
/// `ffmpeg -f lavfi -i testsrc=duration=1:size=160x90:rate=10 -c:v libx264 -profile:v baseline -pix_fmt yuv420p
/// -preset veryslow -crf 35 -movflags +faststart -an output.mp4`.
enum SampleVideo {
    /// The 16:9 file's bytes (3174 of them).
    static let bytes = decode(encoded)

    /// The sample video in `aspectRatio` (`16:9`, `9:16` or `1:1`); any other value gets the 16:9 one.
    static func bytes(aspectRatio: String) -> [UInt8] {
        switch aspectRatio {
        case "9:16": return portraitBytes
        case "1:1": return squareBytes
        default: return bytes
        }
    }

    /// The bytes of an embedded video, from base64 with line breaks.
    static func decode(_ encoded: String) -> [UInt8] {
        let text = encoded.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: text) else { preconditionFailure("an embedded sample video is not valid base64") }
        return [UInt8](data)
    }

    static let fileName = "output.mp4"
    static let contentType = "video/mp4"

    private static let encoded = """
        AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDEAAANPbW9vdgAAAGxtdmhkAAAAAAAAAAAAAAAAAAAD6AAAA+gAAQAAAQAAAAAAAAAAAAAA
        AAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAnl0cmFrAAAAXHRraGQAAAAD
        AAAAAAAAAAAAAAABAAAAAAAAA+gAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAKAAAABaAAAAAAAk
        ZWR0cwAAABxlbHN0AAAAAAAAAAEAAAPoAAAAAAABAAAAAAHxbWRpYQAAACBtZGhkAAAAAAAAAAAAAAAAAAAoAAAAKABVxAAAAAAALWhkbHIAAAAA
        AAAAAHZpZGUAAAAAAAAAAAAAAABWaWRlb0hhbmRsZXIAAAABnG1pbmYAAAAUdm1oZAAAAAEAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAA
        AQAAAAx1cmwgAAAAAQAAAVxzdGJsAAAAvHN0c2QAAAAAAAAAAQAAAKxhdmMxAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAKAAWgBIAAAASAAAAAAA
        AAABFUxhdmM1OS4zNy4xMDAgbGlieDI2NAAAAAAAAAAAAAAAGP//AAAAMmF2Y0MBQsAe/+EAGWdCwB6mEQo35MBEAAADAAQAAAMAUDxYuEYBAAZo
        yEICUsgAAAAQcGFzcAAAAAEAAAABAAAAFGJ0cnQAAAAAAABHOAAARzgAAAAYc3R0cwAAAAAAAAABAAAACgAABAAAAAAUc3RzcwAAAAAAAAABAAAA
        AQAAABxzdHNjAAAAAAAAAAEAAAABAAAACgAAAAEAAAA8c3RzegAAAAAAAAAAAAAACgAABlYAAABLAAAAVQAAAGQAAAA5AAAATQAAAEQAAABIAAAA
        SQAAADIAAAAUc3RjbwAAAAAAAAABAAADfwAAAGJ1ZHRhAAAAWm1ldGEAAAAAAAAAIWhkbHIAAAAAAAAAAG1kaXJhcHBsAAAAAAAAAAAAAAAALWls
        c3QAAAAlqXRvbwAAAB1kYXRhAAAAAQAAAABMYXZmNTkuMjcuMTAwAAAACGZyZWUAAAjvbWRhdAAAAnMGBf//b9xF6b3m2Ui3lizYINkj7u94MjY0
        IC0gY29yZSAxNjQgcjMwOTUgYmFlZTQwMCAtIEguMjY0L01QRUctNCBBVkMgY29kZWMgLSBDb3B5bGVmdCAyMDAzLTIwMjIgLSBodHRwOi8vd3d3
        LnZpZGVvbGFuLm9yZy94MjY0Lmh0bWwgLSBvcHRpb25zOiBjYWJhYz0wIHJlZj0xNiBkZWJsb2NrPTE6MDowIGFuYWx5c2U9MHgxOjB4MTMxIG1l
        PXVtaCBzdWJtZT0xMCBwc3k9MSBwc3lfcmQ9MS4wMDowLjAwIG1peGVkX3JlZj0xIG1lX3JhbmdlPTI0IGNocm9tYV9tZT0xIHRyZWxsaXM9MiA4
        eDhkY3Q9MCBjcW09MCBkZWFkem9uZT0yMSwxMSBmYXN0X3Bza2lwPTEgY2hyb21hX3FwX29mZnNldD0tMiB0aHJlYWRzPTMgbG9va2FoZWFkX3Ro
        cmVhZHM9MSBzbGljZWRfdGhyZWFkcz0wIG5yPTAgZGVjaW1hdGU9MSBpbnRlcmxhY2VkPTAgYmx1cmF5X2NvbXBhdD0wIGNvbnN0cmFpbmVkX2lu
        dHJhPTAgYmZyYW1lcz0wIHdlaWdodHA9MCBrZXlpbnQ9MjUwIGtleWludF9taW49MTAgc2NlbmVjdXQ9NDAgaW50cmFfcmVmcmVzaD0wIHJjX2xv
        b2thaGVhZD02MCByYz1jcmYgbWJ0cmVlPTEgY3JmPTM1LjAgcWNvbXA9MC42MCBxcG1pbj0wIHFwbWF4PTY5IHFwc3RlcD00IGlwX3JhdGlvPTEu
        NDAgYXE9MToxLjAwAIAAAAPbZYiCB/kxQABIH+H/sMGAIooB8BtmIAgNxYE/DsGggARJCBNjE2ALWMngHgbGDwNgAK6YcpgRq6xIcI/4aKBN+sMC
        zmCcDvwAAfCQEKOCAIAFAuIElmZj1/wAfDirISBCJBh///wWGigPESiABFxXFcHQJiDoEweFRWjmfFAAETCOAAIeccAAQCoyFAHAkIAqYIgUQAIA
        WK4rg6BMYOgTH/PwHgsOBLsHY2nTBHieD8CgARAguAA4HQLJHLeAFHLYFx3X+P9PBQp8F5ooHh33hM4VYETwEEAAjQBPibALzJA+xWvXccEgbAIk
        7YpcUNt+LgbB4RcYKHGoV/aOVvjQ9wCM3tAsC2f8HPSbvw0bQMAQx4dKqu5sJdvPeAMxF/ccysSkUiOBKuMh9DerwZntTumH6enmfJcE0p9PDgJM
        dEj+AGVWyRvV4FMDWLBHoPS34AtMSOvz0IHu/BbEwS1+H/9grBMAGG9JtavH/Xl/9HY6enpgnp6en8Mf/oFADaBoC5H7QmZB1q/gIJmY61fwEEzM
        dagJgglBgDpgp9f/pp7BaCgN38/HFZ/Akb896enpgpp6en/8AwywSc/zgIY8+rV/4AZSkyBh71emd//YGoCHDPk0KPYHTHLAjW9hdpMEvFvQLBgG
        CgO5ar1JTK4K3Leo54OgBwxQABRHRB1updAOh6JHRXUItG1gAOAYKpmkLSXy2t8mzJiQCCBkQqYg7OJtOmuHjtb7PGbU8rATH3Xgg4xvv477B0oQ
        o+TS63UwcIJvIOkdR/bgGtSs3fDoMt++4GK5YRKIQHvcWwlKcoS6NqC0RdwOgo1R9Eu3fawCHDhqCsd9zoG75b5bhgDzxEoOCD6DgIF0Hja0ByGS
        WI6TW38LooBQzCAutJ/8dl/HZYOgKBnn3AlCw9pFiAezFq+cfMuiPCI/AlQbSV/ajYBCgGCNpy6fQeBatUHU+j7fngCCDBHTwaSctN8FlS3hX44B
        8QzSY/Tbrd0Dv4AWBwMAylbavtKHht9gtW8GIHVCh5S8pdH+Im8aAY0AAnw6R/0CwTAmawIS+DQcCQBAEE2AS78E2PHgbAQlOYuqADwNj5T+Cfw2
        flwMkQITxmJ4RQDADBCIAK2bX7eSANzCKkcg87AGQLAAK54f/6BZ3iCUQACPiBYiBYwcQExBxATB1VHfw/+wVHEQABAniBAA0/36L8Xi+GH/2CoY
        OAAIA8QA+1iViWiYkdExPyH+XBYI4b8HAyoJxpbijwBBeq30WUAVyVsP/hoWCtghP/nCwXCAQF0SGu2r9jE2Nv6qIFCGcJAbAYPA2BCqOxHUAAAA
        R0GaHA/wtxIJsOKZpFM0imawP8RtpIpmtTGzsFMp34W9QoCCcLVLearVdzx3bhyqfqjX+o/nCXYRhqCO73s+qP+vBXhzFRnAAAAAUUGaKgP8L8BF
        xB++AlehmU7+Fv4WBAYlUXVRz0njBRN3FtP+hlHfhgLFe7u7xuefT7/9R94a/gmNu7v0fuw9Qvj/wt1VVVRTvn03Ns4HlZyLgAAAAGBBmjsD/BDw
        ETEYa5fwXcNwVgoWvBXy3e+RavYf7u7u73fI79Mm/w2fLcbX8m390OH3hrkXpLwWfCxzW/h3Lbn8EvtnfYcgm6rVViT8MidVGMZxHbC/qjAh3v4Z
        yb+GckAAAAA1QZpJAP8FOFPuCQFDu7WjuXvBd/WQZ/1H3uG0q42ltubf4W+qo/e4an8nxLv+o7n6jtLX1ywAAABJQZpZQP8FOHPqGgWbvf6acu/B
        Gnff3DhVXG12xV/9QT73ve7w1Xtb4WPu7y3b7bZvy7/+CY2qqqqj/zr1NOXf5p/Uxb/lt6w3kgAAAEBBmmmA/wRnebDX8MAmvd90YK8mp99BqCZb
        u98n/UffhxO9x+tzb/hjvDMPVSfn++22NS/6QxT3BMfd3fGK5ZOaAAAAREGaecD/BGd5sMfwRAoLl9/1p/UNdVqfT7Nv/BOt3e+m8MT1bPv94Zh6
        sRZ9hbqq1lQzNqf/zx2k0mt/8VBIatfJZeaAAAAARUGaiIA7wRnebHUCjvoFwh97tUd/PN/pz/1UffYLO73vd3plwx1+cbyLxLtfo64DfEu/6Q7v
        DUNdVkuTZd8o1b1hndBrgAAAAC5BmpiQN8Pn5D82OoFj/hu79GK9Mm/1H36NWXw9sOY3xnX6t+pd+veKr+aUnxuS
        """
}
