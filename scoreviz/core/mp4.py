"""MP4 files: H.264 through the ffmpeg of ``imageio-ffmpeg``, written from frames as they come, and read back.

``write_mp4`` pipes raw RGB frames into ffmpeg (libx264, yuv420p with BT.709 colours, CRF
``MP4_CRF``, preset ``MP4_PRESET``, ``+faststart``; an odd side gets one black pixel column / row);
``read_mp4`` reports an MP4's frames, size and rate. ``scoreviz.core.animation`` is the public face.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

from scoreviz.core.errors import ScorevizError
from scoreviz.core.frames import AnimationInfo, CancelFn, ProgressFn, check_cancel, check_frame, even_size, first_line

MP4_CRF = 20  # x264 constant quality: 0 lossless .. 51 worst; 20 keeps thin arrows and small type crisp
MP4_PRESET = "veryfast"  # x264 speed/size trade-off (see benchmarks/encode_speed.py)


def _ffmpeg() -> str:
    try:
        import imageio_ffmpeg  # lazy: found (or missing) only when an MP4 is needed
    except ImportError:
        raise ScorevizError("MP4 needs ffmpeg: pip install imageio-ffmpeg (or write a .gif)") from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:
        raise ScorevizError(f"MP4 needs ffmpeg, which was not found ({first_line(e)}); pip install imageio-ffmpeg") from None


def _mp4_command(exe: str, tmp, width: int, height: int, fps: int) -> list[str]:
    w2, h2 = even_size(width, height)
    vf = f"pad={w2}:{h2}:0:0:black," if (w2, h2) != (width, height) else ""
    vf += "scale=out_color_matrix=bt709:out_range=tv"
    return [exe, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
            "-an", "-vf", vf, "-c:v", "libx264", "-preset", MP4_PRESET, "-crf", str(MP4_CRF),
            "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-color_range", "tv", "-movflags", "+faststart", "-f", "mp4", os.fspath(tmp)]


def write_mp4(target: str, tmp, frames, n: int, fps: int, progress: ProgressFn, cancel: CancelFn) -> AnimationInfo:
    exe = _ffmpeg()
    it = iter(frames)
    check_cancel(cancel, target)
    try:
        first = check_frame(next(it), 0)
    except StopIteration:
        raise ScorevizError(f"frames: got 0 frames, expected {n}") from None
    shape = first.shape
    h, w = shape[:2]
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(_mp4_command(exe, tmp, w, h, fps), stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=err)
        except OSError as e:
            raise ScorevizError(f"cannot start ffmpeg for '{target}': {e.strerror or e}") from None

        def ffmpeg_said() -> str:
            err.seek(0)
            lines = [ln.strip() for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            return lines[-1] if lines else "no message"

        try:
            done = 0
            frame = first
            while True:
                try:
                    proc.stdin.write(memoryview(frame).cast("B"))
                except (BrokenPipeError, OSError):
                    proc.kill()
                    proc.wait()
                    raise ScorevizError(f"cannot write '{target}': ffmpeg stopped: {ffmpeg_said()}") from None
                done += 1
                progress(done, n)
                try:
                    nxt = next(it)
                except StopIteration:
                    break
                if done >= n:
                    raise ScorevizError(f"frames: got more than the {n} frames expected")
                check_cancel(cancel, target)
                frame = check_frame(nxt, done, shape)
            if done != n:
                raise ScorevizError(f"frames: got {done} frames, expected {n}")
            proc.stdin.close()
            if proc.wait() != 0:
                raise ScorevizError(f"cannot write '{target}': ffmpeg failed: {ffmpeg_said()}")
        except BaseException:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            raise
        finally:
            if proc.stdin and not proc.stdin.closed:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
    w2, h2 = even_size(w, h)
    return AnimationInfo(n, w2, h2, float(fps))


def read_mp4(path: str) -> AnimationInfo:
    try:
        import imageio_ffmpeg  # lazy: found (or missing) only when an MP4 is needed
    except ImportError:
        raise ScorevizError("reading an MP4 needs ffmpeg: pip install imageio-ffmpeg") from None
    try:
        gen = imageio_ffmpeg.read_frames(path)
        try:
            meta = next(gen)
        finally:
            gen.close()
        n, _secs = imageio_ffmpeg.count_frames_and_secs(path)
    except (OSError, RuntimeError, StopIteration, ValueError) as e:
        raise ScorevizError(f"'{path}' is not a readable MP4: {first_line(e)}") from None
    w, h = meta["size"]
    return AnimationInfo(int(n), int(w), int(h), float(meta.get("fps") or 0.0))

