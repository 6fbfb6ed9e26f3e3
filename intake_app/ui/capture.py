"""Asking the operating system to keep the window out of screen captures, screen sharing and
recordings, where it offers that: a survivor's testimony on screen must not end up in a remote
support session's recording or a screenshot tool's history.

- Windows 10 2004 and later: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``; older
  Windows shows the window black in captures (``WDA_MONITOR``), which is also acceptable.
- macOS: ``NSWindow.sharingType = NSWindowSharingNone`` on the window that holds the view Qt gives
  as the window's id, through the Objective-C runtime (no extra dependency).
- X11 and Wayland offer nothing of the kind: any client may read the screen on X11, and Wayland
  compositors decide themselves. Nothing is done there (docs/security.md, S22).

This cannot be exercised on the Linux machine the tests run on; every call is guarded, and a
failure leaves the window as it was (it must never stop the app from opening).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtWidgets import QWidget

WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0


def keep_out_of_captures(window: QWidget) -> bool:
    """True when the operating system accepted the request."""
    try:
        if sys.platform == "win32":
            return _windows(int(window.winId()))
        if sys.platform == "darwin":
            return _macos(int(window.winId()))
    except (OSError, AttributeError, ValueError):
        return False
    return False


def _windows(hwnd: int) -> bool:
    user32 = ctypes.windll.user32  # type: ignore[attr-defined,unused-ignore]
    if user32.SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE):
        return True
    return bool(user32.SetWindowDisplayAffinity(hwnd, WDA_MONITOR))


def _macos(view: int) -> bool:
    objc = ctypes.cdll.LoadLibrary("/usr/lib/libobjc.A.dylib")
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    ns_window = send(view, objc.sel_registerName(b"window"))
    if not ns_window:
        return False
    send.restype = None  # objc_msgSend takes each method's own prototype: set it per call
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong]
    send(ns_window, objc.sel_registerName(b"setSharingType:"), NS_WINDOW_SHARING_NONE)
    return True
