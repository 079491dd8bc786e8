"""The package's exception, raised by the Rust module (python/src/lib.rs)."""


class ReadError(OSError):
    """The file could not be read, or holds no report text (it is empty or
    binary).

    ``errno`` is the OS error number when the OS refused the read (else
    None), ``strerror`` why, ``filename`` the path as given.
    """

    def __str__(self) -> str:
        if self.filename is None:
            return super().__str__()
        # One line naming the file, as the command line prints it.
        return f"{self.filename}: {self.strerror}"
