"""Open a generated DOCX in LibreOffice (a real reader) and read back the text it laid out."""

import subprocess
from pathlib import Path

import pypdfium2


def docx_text_through_libreoffice(soffice: str, data: bytes, folder: Path) -> str:
    """Convert the DOCX to PDF with LibreOffice, headless, and return the PDF's text."""
    source = folder / "document.docx"
    source.write_bytes(data)
    subprocess.run(  # noqa: S603 - a fixed program and our own file
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
    )
    pdf = pypdfium2.PdfDocument(folder / "document.pdf")
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
