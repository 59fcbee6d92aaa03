"""Photos of activities: the content decides (not the name), metadata is stripped, the
picture is turned upright and a thumbnail made; anything else is refused in Vietnamese."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms, PngImagePlugin

from lantoa.movements.photos import MAX_PHOTO_SIZE, THUMBNAIL_SIZE, process_photo

NOT_AN_IMAGE_VI = (
    "Tệp này không phải là tệp JPEG, PNG hợp lệ (hệ thống kiểm tra nội dung tệp, "
    "không dựa vào tên tệp)."
)
ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825


def two_colours(size=(40, 20)) -> Image.Image:
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg_bytes(image: Image.Image | None = None, **save) -> bytes:
    out = io.BytesIO()
    (image or two_colours()).save(out, "JPEG", quality=95, **save)
    return out.getvalue()


def camera_jpeg() -> bytes:
    """A phone's photo: turned (orientation 6), with its maker and where it was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "SecretCam"
    exif[GPS_IFD] = {1: "N", 2: (9.0, 10.0, 36.0), 3: "E", 4: (105.0, 9.0, 0.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b"<x:xmpmeta><GPSLatitude>9,10.6N</GPSLatitude></x:xmpmeta>"
    return jpeg_bytes(exif=exif, comment=b"taken at home", icc_profile=icc, xmp=xmp)


def upload(data: bytes, name: str = "anh.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refused(data: bytes, name: str = "anh.jpg") -> str:
    with pytest.raises(ValidationError) as caught, translation.override("vi"):
        process_photo(upload(data, name))
    return " ".join(caught.value.messages)


def test_a_camera_jpeg_comes_out_upright_without_its_metadata():
    original = opened(camera_jpeg())
    assert {"exif", "comment", "icc_profile", "xmp"} <= set(original.info)  # all there before
    photo = process_photo(upload(camera_jpeg(), "IMG_0001.JPG"))

    assert photo.format == "jpeg"
    assert photo.content_type == "image/jpeg"
    assert photo.original_name == "IMG_0001.JPG"
    image = opened(photo.content)
    assert image.format == "JPEG"
    # Turned upright: 40×20 held at orientation 6 is 20 wide and 40 high, the left half
    # (red) now on top.
    assert (photo.width, photo.height) == image.size == (20, 40)
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    # Nothing but the pixels: no EXIF (orientation, maker, GPS), no comment.
    assert dict(image.getexif()) == {}
    for key in ("exif", "comment", "icc_profile", "xmp"):
        assert key not in image.info
    for secret in (b"Exif", b"SecretCam", b"taken at home", b"GPSLatitude", b"ICC_PROFILE"):
        assert secret not in photo.content
        assert secret not in photo.thumbnail
    assert photo.size == len(photo.content)


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency():
    image = Image.new("RGBA", (60, 30), (0, 128, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 10, 10))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "nhà của tôi ở Cà Mau")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude</x:xmpmeta>")
    exif = Image.Exif()
    exif[MAKE] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)

    photo = process_photo(upload(out.getvalue(), "so-do.png", "image/png"))

    assert photo.format == "png"
    assert photo.content_type == "image/png"
    result = opened(photo.content)
    assert result.format == "PNG"
    assert result.size == (60, 30)
    assert result.info == {} or set(result.info) <= {"transparency", "dpi"}
    assert dict(result.getexif()) == {}
    for secret in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"SecretCam", b"GPSLatitude"):
        assert secret not in photo.content
    assert result.getpixel((2, 2))[3] == 0  # still transparent
    assert opened(photo.thumbnail).format == "JPEG"


def test_the_thumbnail_is_a_jpeg_at_most_320_px():
    photo = process_photo(upload(jpeg_bytes(two_colours((1000, 600)))))

    thumbnail = opened(photo.thumbnail)
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == THUMBNAIL_SIZE == 320
    assert thumbnail.size == (320, 192)
    assert (photo.width, photo.height) == (1000, 600)


def test_a_small_photo_keeps_its_size_in_the_thumbnail():
    photo = process_photo(upload(jpeg_bytes(two_colours((100, 80)))))
    assert opened(photo.thumbnail).size == (100, 80)


def test_a_cmyk_jpeg_is_stored_as_rgb():
    photo = process_photo(upload(jpeg_bytes(Image.new("CMYK", (30, 30), (0, 255, 255, 0)))))
    assert opened(photo.content).mode == "RGB"


def test_a_text_file_named_jpg_is_refused():
    assert refused("Đây không phải là ảnh".encode(), "anh.jpg") == NOT_AN_IMAGE_VI


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes(two_colours((400, 300)))
    assert refused(data[: len(data) // 2]) == NOT_AN_IMAGE_VI


def test_a_jpeg_header_with_garbage_after_it_is_refused():
    assert refused(b"\xff\xd8\xff\xe0" + b"\x00" * 2000) == NOT_AN_IMAGE_VI


def test_a_gif_is_refused_even_named_png():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    assert refused(out.getvalue(), "anh.png") == NOT_AN_IMAGE_VI


def test_a_file_over_10_mb_is_refused_with_its_size():
    data = jpeg_bytes() + b"\x00" * (11 * 1024 * 1024)
    message = refused(data)
    assert message == "Tệp có dung lượng 11,0\xa0MB; dung lượng tối đa cho phép là 10,0\xa0MB."
    assert MAX_PHOTO_SIZE == 10 * 1024 * 1024


def test_an_empty_file_is_refused():
    assert refused(b"") == "Tệp không có nội dung."


def test_a_picture_of_too_many_pixels_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 7000)).save(out, "PNG")  # 56 megapixels in a few kilobytes
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        process_photo(upload(out.getvalue(), "bom.png"))
    assert caught.value.messages == [
        "The photo is 8.000 × 7.000 pixels; the largest allowed is 50 megapixels."
    ]


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (20000, 10000)).save(out, "PNG")  # 200 megapixels: Pillow's own alarm
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        process_photo(upload(out.getvalue(), "bom.png"))
    assert caught.value.messages == [
        "The photo has too many pixels; the largest allowed is 50 megapixels."
    ]
