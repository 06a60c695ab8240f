"""Closing a window the way a person does (the title bar's ×), without a window manager:
a WM_DELETE_WINDOW message sent to the window over Xlib, through ctypes. Standard
library and libX11 only (libX11 comes with GTK, so every machine that runs Avvik has it).
"""

import contextlib
import ctypes
import ctypes.util


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _Event(ctypes.Union):
    # XEvent is a union padded to 24 longs.
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


_CLIENT_MESSAGE = 33
_NO_EVENT_MASK = 0


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
# Xlib's default handler ends the process on any error, such as reading a window that
# went away or was unmapped a moment ago; here such a read simply finds nothing.
_ignore_errors = _ERROR_HANDLER(lambda display, event: 0)
_LIB = None


def _xlib():
    global _LIB
    if _LIB is not None:
        return _LIB
    lib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    lib.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    lib.XSetErrorHandler(_ignore_errors)
    _LIB = lib
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                               ctypes.POINTER(ctypes.c_uint)]
    lib.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                               ctypes.POINTER(_Event)]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XFree.argtypes = [ctypes.c_void_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


def _windows(lib, display, parent):
    root, up = ctypes.c_ulong(), ctypes.c_ulong()
    kids, n = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    if not lib.XQueryTree(display, parent, ctypes.byref(root), ctypes.byref(up),
                          ctypes.byref(kids), ctypes.byref(n)):
        return []
    found = [kids[i] for i in range(n.value)]
    if kids:
        lib.XFree(kids)
    return found


@contextlib.contextmanager
def _display():
    """Libx11 and a connection to $DISPLAY, closed afterwards."""
    lib = _xlib()
    display = lib.XOpenDisplay(None)
    if not display:
        raise RuntimeError("no X display")
    try:
        yield lib, display
    finally:
        lib.XCloseDisplay(display)


def windows_named(title):
    """The top-level windows whose title is `title` (on $DISPLAY)."""
    with _display() as (lib, display):
        return _named(lib, display, title)


def _named(lib, display, title):
    out = []
    for w in _windows(lib, display, lib.XDefaultRootWindow(display)):
        name = ctypes.c_char_p()
        if lib.XFetchName(display, w, ctypes.byref(name)) and name.value is not None:
            if name.value.decode("utf-8", "replace") == title:
                out.append(w)
            lib.XFree(name)
    return out


def close_window(title):
    """Asks each top-level window called `title` to close, as its × does. Returns how many."""
    with _display() as (lib, display):
        protocols = lib.XInternAtom(display, b"WM_PROTOCOLS", 0)
        delete = lib.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
        found = _named(lib, display, title)
        for w in found:
            event = _Event()
            event.xclient.type = _CLIENT_MESSAGE
            event.xclient.window = w
            event.xclient.message_type = protocols
            event.xclient.format = 32
            event.xclient.data[0] = delete
            event.xclient.data[1] = 0  # CurrentTime
            lib.XSendEvent(display, w, 0, _NO_EVENT_MASK, ctypes.byref(event))
        lib.XFlush(display)
        return len(found)


class _Image(ctypes.Structure):
    # The start of XImage (Xlib.h), up to the fields read here.
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


_ZPIXMAP = 2
_ALL_PLANES = 0xFFFFFFFF


def grab(title):
    """The pixels of the first window called `title`: (width, height, BGRX bytes), or
    None when there is none (or it is not mapped). A 24-bit display is assumed (Xvfb's
    `-screen 0 WxHx24`)."""
    lib = _xlib()
    lib.XGetImage.restype = ctypes.POINTER(_Image)
    lib.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                              ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]

    class _Attributes(ctypes.Structure):
        _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
                    ("height", ctypes.c_int), ("pad", ctypes.c_byte * 256)]

    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                         ctypes.POINTER(_Attributes)]
    with _display() as (_, display):
        found = _named(lib, display, title)
        if not found:
            return None
        attrs = _Attributes()
        if not lib.XGetWindowAttributes(display, found[0], ctypes.byref(attrs)):
            return None
        image = lib.XGetImage(display, found[0], 0, 0, attrs.width, attrs.height,
                              _ALL_PLANES, _ZPIXMAP)
        if not image:
            return None
        img = image.contents
        if img.bits_per_pixel != 32:
            raise RuntimeError(f"a {img.bits_per_pixel}-bit display; 24-bit colour expected")
        data = ctypes.string_at(img.data, img.bytes_per_line * img.height)
        w, h, stride = img.width, img.height, img.bytes_per_line
        lib.XFree(ctypes.c_void_p(img.data))
        lib.XFree(image)
        if stride != w * 4:
            data = b"".join(data[y * stride:y * stride + w * 4] for y in range(h))
        return w, h, data


def colours(title, step=7):
    """How many different colours a sample of the window's pixels has (a blank window
    has one or two; a drawn screen with text has many), or 0 without the window."""
    shot = grab(title)
    if not shot:
        return 0
    _, _, data = shot
    return len({data[i:i + 3] for i in range(0, len(data) - 3, 4 * step)})


def save_png(title, path):
    """Writes the window as a PNG (standard library only)."""
    import struct
    import zlib
    shot = grab(title)
    if not shot:
        raise RuntimeError(f"no window {title!r}")
    w, h, data = shot
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        row = data[y * w * 4:(y + 1) * w * 4]
        for x in range(0, len(row), 4):
            raw += bytes((row[x + 2], row[x + 1], row[x]))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))
