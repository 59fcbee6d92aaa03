"""The Cà Mau demo's public site: stories and readers' comments, 2018–2020 (`manage.py load_demo`).

Called by the orgs demo after the programs, movements and awards demos, inside the same
transaction and with the same seeded generator. The case gives no stories: every text here
is plausible invention, written on what the other demos recorded.

- Đảng bộ Dân Chính Đảng tỉnh (its staff) publishes **12** stories: one on each of the four
  units' models named in the case (linked to the unit model), the others on people and
  collectives its decisions commended (linked to the award; the subject's organization is
  the recipient's), three of them on the good deed the nomination rested on (linked to the
  deed too). A draft and a withdrawn story show the rest of the workflow. Stories go out a
  few days after the ceremony that honored their subject; no photo is written.
- Readers comment on most stories: mostly approved, some pending (on the stories of 2020),
  a few rejected, two spam (one caught by the honeypot, one by a moderator), with approved
  replies one level deep under approved comments. Their emails are made-up addresses at
  example.vn (private: never shown), their addresses kept only as the comments service's
  keyed hash (`lantoa.public.services.comments.address_hash`) of a documentation address.
- The 2020 round published its nominees for comments between the close of nominations and
  the vote; three approved comments reached the nominations' dossiers.

Stories and comments are bulk-inserted with one audit entry each (`lantoa.core.audit`), plus
one for each later step (published, withdrawn, approved, rejected, spam), as the services
record them; the round's window is saved through the model (audited by django-auditlog).
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from lantoa.awards.models import (
    Award,
    Ceremony,
    DecisionStatus,
    Nomination,
    NominationStatus,
    Round,
    RoundKind,
)
from lantoa.core import audit
from lantoa.core.text import nfc, search_key
from lantoa.movements.models import GoodDeed
from lantoa.orgs.demo.context import DemoContext, Unit
from lantoa.orgs.demo.tree import Sector
from lantoa.orgs.models import Organization, OrganizationKind
from lantoa.programs.demo import NAMED_MODELS
from lantoa.programs.models import Pilot, Plan, UnitModel
from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus
from lantoa.public.services.comments import address_hash
from lantoa.public.services.stories import DEFAULT_SLUG, slug_from

D = datetime.date
Action = audit.Action
C = CommentStatus
EXECUTIVE = "Ban Thường vụ Đảng ủy Dân Chính Đảng tỉnh"
LEARNING = "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
BAC_QUOTE = "> Việc thiện thì dù nhỏ mấy cũng làm, việc ác thì dù nhỏ mấy cũng tránh."

# --- texts: the four units' models ----------------------------------------------------------


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class ModelStory:
    day: datetime.date  # published (the models were registered in 2017)
    text: Text


PILOT_SENTENCE = (
    "Đơn vị cũng là một trong {pilots} tổ chức cơ sở đảng được Ban Thường vụ Đảng ủy chọn làm "
    "điểm thực hiện Kế hoạch số {plan}."
)
MODEL_STORIES: dict[str, ModelStory] = {
    "BDV": ModelStory(
        D(2018, 5, 18),
        Text(
            "Ban Dân vận Tỉnh ủy Cà Mau: tôn trọng Nhân dân từ những việc làm cụ thể",
            "Mô hình “{model}” đưa chuyên đề năm 2017 vào từng việc làm hằng ngày của cán bộ, "
            "đảng viên Ban Dân vận Tỉnh ủy.",
            "Năm {year_from}, khi toàn Đảng bộ học tập chuyên đề về xây dựng ý thức tôn trọng "
            "Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân, {org} đăng ký thực hiện mô "
            "hình **“{model}”**. {pilot}\n\n"
            "Điều đáng quý là mô hình không dừng ở khẩu hiệu. Đảng ủy cụ thể hóa nội dung làm "
            "theo thành những chuẩn mực rõ ràng khi tiếp xúc, làm việc với Nhân dân, công khai "
            "trước tập thể để mọi người cùng theo dõi, nhắc nhở nhau:\n\n"
            "- lắng nghe ý kiến của người dân, trả lời kiến nghị đúng hạn, không để người dân "
            "phải đi lại nhiều lần;\n"
            "- đi cơ sở thường xuyên, nắm tình hình đời sống đồng bào các dân tộc, các tôn "
            "giáo;\n"
            "- đối thoại với đại diện các tôn giáo, dân tộc, phản ánh kịp thời tâm tư, nguyện "
            "vọng của Nhân dân;\n"
            "- người đứng đầu đăng ký việc làm theo và báo cáo kết quả trước tập thể.\n\n"
            "Trong năm, 100% đảng viên đăng ký làm theo và có bản tự đánh giá giữa năm. Kinh "
            "nghiệm được Ban Thường vụ Đảng ủy Dân Chính Đảng tỉnh ghi nhận là **cụ thể hóa "
            "chuẩn mực thành việc làm đo được, công khai trước tập thể**, người đứng đầu gương "
            "mẫu đi trước.\n\n"
            "Mô hình đang được nhiều tổ chức cơ sở đảng trong Đảng bộ tham khảo, vận dụng phù "
            "hợp với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
        ),
    ),
    "CDYT": ModelStory(
        D(2019, 2, 27),
        Text(
            "Trường Cao đẳng Y tế Cà Mau: rèn y đức, nêu gương từ người đứng đầu",
            "Nhân Ngày Thầy thuốc Việt Nam 27/2, giới thiệu mô hình “{model}” của {org}.",
            "Là nơi đào tạo những người thầy thuốc tương lai của tỉnh, {org} chọn việc rèn "
            "luyện đạo đức, lối sống làm trọng tâm của việc học tập và làm theo Bác. Mô hình "
            "**“{model}”** được Đảng ủy nhà trường đăng ký từ năm {year_from}. {pilot}\n\n"
            "Việc làm theo bắt đầu từ người đứng đầu: các đồng chí trong Ban Giám hiệu đăng ký "
            "nêu gương trước tập thể, công khai nội dung và tự kiểm điểm cuối năm. Các chi bộ "
            "đưa nội dung làm theo vào sinh hoạt chuyên đề, gắn với quy tắc ứng xử của giảng "
            "viên, viên chức và sinh viên.\n\n"
            "Những việc làm cụ thể của nhà trường:\n\n"
            "- bổ sung tiêu chí đánh giá việc làm theo vào bình xét thi đua của giảng viên, "
            "viên chức;\n"
            "- giảng viên tận tụy với người học, nói đi đôi với làm, **lấy y đức làm đầu**;\n"
            "- sinh viên tham gia hiến máu nhân đạo, khám bệnh, cấp thuốc miễn phí cho gia "
            "đình chính sách.\n\n"
            "Theo đánh giá của Đảng ủy Dân Chính Đảng tỉnh, việc làm theo ở nhà trường gắn chặt "
            "với đạo đức nghề nghiệp và lan tỏa đến từng lớp sinh viên. Người thầy thuốc tương "
            "lai học y đức không chỉ qua bài giảng, mà qua chính tấm gương của thầy cô mình.",
        ),
    ),
    "PCCM": ModelStory(
        D(2019, 9, 25),
        Text(
            "Công ty Điện lực Cà Mau: tiết kiệm, minh bạch và chăm lo người lao động",
            "Từ ngày {merger} về Đảng bộ Dân Chính Đảng tỉnh, {org} tiếp tục thực hiện mô hình "
            "“{model}”.",
            "Từ ngày {merger}, cùng các đơn vị của Đảng bộ Khối Doanh nghiệp, {org} về sinh hoạt "
            "trong Đảng bộ Dân Chính Đảng tỉnh. Mô hình đăng ký từ năm {year_from}, **“{model}”**, "
            "vẫn được thực hiện nghiêm túc trong môi trường mới.\n\n"
            "Với một doanh nghiệp quản lý tài sản lớn và phục vụ hàng trăm nghìn khách hàng, "
            "Đảng ủy Công ty xác định làm theo Bác trước hết là **làm việc trung thực, tiết "
            "kiệm và đúng quy trình**:\n\n"
            "- công khai, minh bạch trong mua sắm vật tư, đấu thầu; chi bộ giám sát từng khâu;\n"
            "- tiết kiệm điện, văn phòng phẩm, chi phí hành chính trong toàn Công ty;\n"
            "- rút ngắn thời gian giải quyết yêu cầu cấp điện, không để khách hàng chờ đợi;\n"
            "- chăm lo đời sống cán bộ, nhân viên, người lao động; thăm hỏi kịp thời khi ốm "
            "đau, hoạn nạn.\n\n"
            "Đảng viên ở các chi bộ điện lực đi đầu trong khắc phục sự cố, bảo đảm cấp điện an "
            "toàn trong mùa mưa bão. Nội bộ đoàn kết, người lao động yên tâm gắn bó với đơn vị "
            "là kết quả dễ thấy nhất của mô hình.\n\n"
            "Đảng ủy Dân Chính Đảng tỉnh đánh giá cách làm của Công ty là kinh nghiệm tốt để các "
            "đảng bộ doanh nghiệp trong Đảng bộ tham khảo.",
        ),
    ),
    "VNPT": ModelStory(
        D(2020, 4, 22),
        Text(
            "Viễn thông Cà Mau: trung thực, trách nhiệm, giữ mạng lưới thông suốt mùa dịch",
            "Mô hình “{model}” của {org} được thử thách trong những ngày cả tỉnh phòng, chống "
            "dịch COVID-19.",
            "Những ngày cả tỉnh thực hiện giãn cách xã hội để phòng, chống dịch COVID-19, đội "
            "ngũ kỹ thuật của Viễn thông Cà Mau vẫn có mặt ở các trạm phát sóng, các khu cách "
            "ly, bảo đảm thông tin liên lạc thông suốt phục vụ chỉ đạo, điều hành của cấp ủy, "
            "chính quyền. Phía sau là mô hình **“{model}”** mà {org} thực hiện từ năm "
            "{year_from}.\n\n"
            "Đảng ủy chọn bốn tiêu chí cho mỗi đảng viên: **trung thực** trong báo cáo và với "
            "khách hàng, **trách nhiệm** với công việc được giao, **đoàn kết** trong tập thể và "
            "**hiệu quả** trong sản xuất kinh doanh. Mỗi chi bộ cụ thể hóa thành việc làm của "
            "mình:\n\n"
            "- các tổ kỹ thuật cam kết thời gian khắc phục sự cố, công khai với khách hàng;\n"
            "- nhân viên giao dịch tận tình, hướng dẫn người dân dùng dịch vụ công trực tuyến;\n"
            "- đảng viên đi đầu trong đổi mới, sáng tạo, tiết kiệm chi phí.\n\n"
            "Từ khi về Đảng bộ Dân Chính Đảng tỉnh (ngày {merger}), Đảng bộ Viễn thông Cà Mau "
            "giữ vững nền nếp sinh hoạt chuyên đề, gắn học tập và làm theo Bác với nhiệm vụ sản "
            "xuất kinh doanh; tập thể đoàn kết, hoàn thành tốt nhiệm vụ được giao.",
        ),
    ),
}

# --- texts: commended people and collectives -----------------------------------------------

PERSON_AWARD = (
    "Ghi nhận những đóng góp ấy, tại {decision}, {executive} đã {praise} đồng chí {name} vì "
    "có thành tích tiêu biểu trong {learning} {period}."
)
COLLECTIVE_AWARD = (
    "Tại {decision}, {executive} đã {praise} {collective} vì có thành tích tiêu biểu trong "
    "{learning} {period}."
)
PERSON_CEREMONY = (
    " Ngày {date}, tại {title}, đồng chí vinh dự nhận khen thưởng cùng các điển hình tiên "
    "tiến của Đảng bộ."
)
COLLECTIVE_CEREMONY = " Ngày {date}, tại {title}, đại diện tập thể lên nhận khen thưởng."
MODEL_SENTENCE = " Mô hình, cách làm được đơn vị đăng ký và thực hiện: **“{model}”**."
PRACTICE = "gương mẫu thực hiện nội dung đã đăng ký làm theo"  # when the dossier says nothing
COLLECTIVE_PRACTICE = "hoàn thành tốt nhiệm vụ chính trị; nội bộ đoàn kết"

STORY_TEXTS: dict[str, Text] = {
    "deed-1": Text(
        "Người tốt, việc tốt: đồng chí {name} {deed}",
        "Việc làm giản dị mà giàu tình người của đồng chí {name}, {who}, người {praised} {period}.",
        "Đồng chí **{name}**, {who}, được nhiều người biết đến qua một việc làm giàu tình "
        "người: {deed}. {deed_text}\n\n"
        "Khi được hỏi, đồng chí {given} chỉ nói đó là việc ai cũng có thể làm, rồi nhắc lời "
        "Bác dạy:\n\n" + BAC_QUOTE + "\n\n"
        "Ở cơ quan, đồng nghiệp biết đến đồng chí là người {practice}. Việc làm của đồng chí "
        "được chi bộ biểu dương, được đơn vị ghi nhận ngày {deed_date} và giới thiệu trong "
        "phong trào “Người tốt, việc tốt”.\n\n"
        "{award}",
    ),
    "deed-2": Text(
        "Gương sáng từ việc làm nhỏ: đồng chí {name}",
        "Đồng chí {name}, {who}, {deed}; việc làm ấy được ghi nhận khi đồng chí {praised} "
        "{period}.",
        "Câu chuyện về đồng chí **{name}**, {who}, được đồng nghiệp kể lại nhiều lần trong "
        "các buổi sinh hoạt chi bộ. {deed_text}\n\n"
        "Việc làm ấy không ai giao, cũng không ai nhắc; đơn vị ghi nhận vào sổ gương người "
        "tốt, việc tốt ngày {deed_date}. Với đồng chí {given}, người đảng viên phải gương mẫu "
        "ở cơ quan và cả ở nơi cư trú. Trong công việc hằng ngày, đồng chí {practice}.\n\n"
        "Cuối năm, đơn vị đề nghị khen thưởng đồng chí. {award}\n\n"
        "Những việc làm như vậy tuy nhỏ nhưng làm cho hình ảnh người cán bộ, đảng viên gần "
        "gũi, đáng tin cậy hơn trong mắt người dân.",
    ),
    "deed-3": Text(
        "Lan tỏa điều tốt: đồng chí {name} {deed}",
        "{deed_cap}: việc làm của đồng chí {name}, {who}, người {praised} {period}.",
        "{deed_text} Người làm việc ấy là đồng chí **{name}**, {who}.\n\n"
        "Theo lãnh đạo đơn vị, đồng chí {given} là người {practice}. Việc làm được đơn vị ghi "
        "nhận ngày {deed_date} không phải là lần đầu: đồng chí luôn sẵn lòng khi đồng nghiệp, "
        "người dân cần giúp đỡ.\n\n"
        "{award}\n\n"
        "Từ tấm gương ấy, chi bộ đã vận động mỗi đảng viên đăng ký thêm ít nhất một việc làm "
        "tốt ở nơi cư trú trong năm.",
    ),
    "teacher": Text(
        "Người thầy tận tụy với người học: đồng chí {name}",
        "Giảng dạy tận tâm, sống giản dị, nói đi đôi với làm: đồng chí {name}, {who}, "
        "{praised} {period}.",
        "Ở {unit}, nhắc đến đồng chí **{name}**, {position}, đồng nghiệp và người học đều nhớ "
        "đến một người giảng dạy tận tụy, giản dị, luôn sẵn lòng giúp đỡ người khác.\n\n"
        "Đồng nghiệp nhận xét đồng chí là người {practice}. Mỗi bài giảng được chuẩn bị kỹ "
        "lưỡng, gắn lý thuyết với thực tế; người học gặp khó khăn được đồng chí kèm cặp thêm "
        "ngoài giờ.\n\n"
        "Đồng chí quan niệm: **làm theo Bác trước hết là làm tốt việc của mình**, giữ gìn đạo "
        "đức nhà giáo, nói đi đôi với làm để người học noi theo.\n\n"
        "{award}",
    ),
    "leader": Text(
        "Người đứng đầu nêu gương: đồng chí {name}",
        "Đồng chí {name}, {who}, {praised} {period}: một tấm gương về phong cách, tác phong "
        "của người đứng đầu.",
        "Chuyên đề năm 2018 đặt ra yêu cầu xây dựng phong cách, tác phong công tác của người "
        "đứng đầu theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. Ở {unit}, đồng chí "
        "**{name}**, {position}, đã biến yêu cầu ấy thành nếp làm việc hằng ngày.\n\n"
        "Đồng chí đăng ký làm theo trước tập thể và báo cáo kết quả với chi bộ mỗi kỳ sinh "
        "hoạt chuyên đề. Những việc làm cụ thể:\n\n"
        "- giải quyết công việc đúng hẹn, không để hồ sơ tồn đọng;\n"
        "- lắng nghe ý kiến của đảng viên, người lao động; dân chủ khi bàn bạc, quyết đoán "
        "khi thực hiện;\n"
        "- thực hành tiết kiệm, không phô trương, hình thức.\n\n"
        "“Muốn anh em làm được thì mình phải làm trước”, đồng chí chia sẻ. Trong công việc, "
        "đồng chí {practice}; chi bộ đoàn kết, tập thể đơn vị hoàn thành tốt nhiệm vụ.\n\n"
        "{award}",
    ),
    "journalist": Text(
        "Người làm báo lan tỏa điều tốt: đồng chí {name}",
        "Bằng những bài viết về gương người tốt, việc tốt, đồng chí {name}, {who}, góp phần "
        "đưa việc học tập và làm theo Bác đến gần hơn với bạn đọc.",
        "Nhiều gương người tốt, việc tốt ở cơ sở đã được bạn đọc biết đến qua những trang "
        "viết của đồng chí **{name}**, {who}. Mỗi tháng, đồng chí dành thời gian về các ấp, xã "
        "vùng sâu, vùng xa để tìm những câu chuyện bình dị mà giàu ý nghĩa.\n\n"
        "Với đồng chí {given}, học Bác trong nghề báo là **viết trung thực, khách quan và có "
        "trách nhiệm với từng con chữ**. Bản đăng ký làm theo của đồng chí có những việc rất "
        "cụ thể: kiểm tra kỹ thông tin trước khi gửi bài, không đăng, chia sẻ thông tin sai "
        "sự thật; trong công việc, đồng chí {practice}.\n\n"
        "{award}\n\n"
        "Đồng chí mong có thêm nhiều người viết về những người tốt quanh mình, bởi “mỗi câu "
        "chuyện đẹp được kể lại là một lần điều tốt được nhân lên”.",
    ),
    "civil": Text(
        "Tận tụy phục vụ Nhân dân: đồng chí {name}",
        "Đồng chí {name}, {who}, {praised} {period}.",
        "Đồng chí **{name}**, {who}, là gương mặt quen thuộc với đồng nghiệp và những người "
        "đến liên hệ công việc bởi tác phong tận tình, chu đáo.\n\n"
        "Đồng nghiệp nhận xét đồng chí là người {practice}. Công việc được giao luôn hoàn "
        "thành đúng hạn; khi người dân chưa rõ thủ tục, đồng chí kiên nhẫn hướng dẫn đến nơi "
        "đến chốn.\n\n"
        "{award}",
    ),
    "worker": Text(
        "Người đảng viên đi đầu nơi sản xuất: đồng chí {name}",
        "Đồng chí {name}, {who}, {praised} {period}.",
        "Ở {unit}, đồng chí **{name}**, {position}, được đồng nghiệp tin cậy bởi tinh thần "
        "trách nhiệm và sự cẩn trọng trong từng công việc.\n\n"
        "Đồng chí {practice}. Trong sản xuất, đồng chí chấp hành nghiêm quy trình an toàn lao "
        "động, tiết kiệm vật tư, sẵn sàng nhận những việc khó.\n\n"
        "{award}\n\n"
        "*(Bài viết đang được hoàn thiện, bổ sung ý kiến của đơn vị.)*",
    ),
    "collective": Text(
        "Điển hình tiên tiến: {collective}",
        "{collective} là một trong {count} tập thể {praised} {period}.",
        "{collective} là một trong {count} tập thể được khen thưởng tại {decision}. Đó là kết "
        "quả của nhiều năm cấp ủy và đảng viên {unit} bền bỉ đưa việc học tập và làm theo Bác "
        "vào từng việc làm cụ thể.\n\n"
        "Theo báo cáo thành tích, tập thể đã {practice}.{model_sentence}\n\n"
        "Những cách làm của đơn vị:\n\n"
        "- mỗi kỳ sinh hoạt chuyên đề, một đảng viên báo cáo việc làm theo của mình để chi bộ "
        "góp ý;\n"
        "- người đứng đầu đăng ký nêu gương, công khai trước tập thể;\n"
        "- kết quả làm theo được đưa vào đánh giá, xếp loại đảng viên cuối năm.\n\n"
        "{award}\n\n"
        "Cấp ủy xác định khen thưởng là động lực để tiếp tục giữ vững nền nếp, không phải là "
        "điểm dừng.",
    ),
    "cell": Text(
        "{collective} ({base}): vững mạnh từ những việc làm cụ thể",
        "{collective} ({base}) {praised} {period}.",
        "Là chi bộ trực thuộc {base}, {collective} duy trì việc học tập và làm theo Bác đều "
        "đặn, nền nếp. Chi bộ là một trong {count} tập thể được khen thưởng tại {decision}.\n\n"
        "Theo báo cáo thành tích, chi bộ đã {practice}.{model_sentence}\n\n"
        "Cách làm của chi bộ rất giản dị: sinh hoạt đúng kỳ, nội dung thiết thực, mỗi đảng "
        "viên nhận **một việc cụ thể** và báo cáo kết quả trước chi bộ. Khó khăn trong chuyên "
        "môn được đưa ra bàn bạc dân chủ; việc gì đã thống nhất thì đảng viên làm trước.\n\n"
        "{award}",
    ),
}
WITHDRAW_REASON = "Gỡ bài để đơn vị rà soát, bổ sung thông tin về thành tích của nhân vật."


# --- which awards the stories tell ---------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A story on an award: the text told, the round years preferred, who fits it."""

    text: str
    years: tuple[int, ...]
    fits: Callable[[Award, Unit | None], bool]
    status: str = StoryStatus.PUBLISHED


def _position(*words: str) -> Callable[[Award, Unit | None], bool]:
    def fits(award: Award, unit: Unit | None) -> bool:
        return award.person is not None and any(w in award.person.position for w in words)

    return fits


def _worker(award: Award, unit: Unit | None) -> bool:
    trade = _position("Công nhân", "Kỹ sư", "Kỹ thuật viên", "Đội trưởng")
    return trade(award, unit) and unit is not None and unit.spec.sector == Sector.ENTERPRISE


def _collective(*kinds: str) -> Callable[[Award, Unit | None], bool]:
    def fits(award: Award, unit: Unit | None) -> bool:
        return award.collective is not None and award.collective.kind in kinds

    return fits


BASE_KINDS = (OrganizationKind.BASE_CELL, OrganizationKind.BASE_COMMITTEE)
SLOTS: tuple[Slot, ...] = (
    Slot("teacher", (2017,), _position("Giảng viên")),
    Slot("cell", (2017, 2018), _collective(OrganizationKind.CELL)),
    Slot("leader", (2018, 2019), _position("Bí thư")),
    Slot("journalist", (2019, 2017), _position("Phóng viên", "Biên tập viên")),
    Slot("collective", (2020,), _collective(*BASE_KINDS)),
    Slot("worker", (2020,), _worker, StoryStatus.DRAFT),
    Slot("civil", (2019, 2018), _position("Chuyên viên"), StoryStatus.WITHDRAWN),
)
DEED_STORIES = ("deed-1", "deed-2", "deed-3")

# --- readers' comments ---------------------------------------------------------------------

READERS: tuple[tuple[str, str], ...] = (
    ("Nguyễn Thị Thu Trang", "thutrang.nguyen"),
    ("Trần Văn Hùng", "tranvanhung.cm"),
    ("Lê Minh Tuấn", "minhtuan.le"),
    ("Phạm Thị Hồng Nhung", "hongnhung.pham"),
    ("Huỳnh Quốc Bảo", "quocbao.huynh"),
    ("Võ Thị Kim Loan", "kimloan.vo"),
    ("Đặng Hoàng Phúc", "hoangphuc.dang"),
    ("Bùi Thị Ngọc Hân", "ngochan.bui"),
    ("Dương Văn Tài", "duongvantai"),
    ("Lâm Thị Mỹ Duyên", "myduyen.lam"),
    ("Châu Minh Khang", "minhkhang.chau"),
    ("Tô Thị Bích Ngọc", "bichngoc.to"),
    ("Quách Văn Lợi", "quachvanloi"),
    ("Trương Thanh Sơn", "thanhson.truong"),
    ("Ngô Thị Cẩm Tú", "camtu.ngo"),
    ("Hồ Văn Nam", "hovannam.cm"),
    ("Lý Thị Thanh Thủy", "thanhthuy.ly"),
    ("Mai Xuân Trường", "xuantruong.mai"),
    ("Nguyễn Hoàng Yến", "hoangyen.nguyen"),
    ("Phan Văn Út", "phanvanut"),
    ("Cao Thị Diễm", "caothidiem"),
    ("Đoàn Minh Trí", "minhtri.doan"),
)
EDITORS = ("Ban Biên tập", "bientap")
# documentation addresses (RFC 5737), never real ones
EDITORS_ADDRESS = "198.51.100.7"
SPAMMER = "192.0.2.66"
APPROVED_BODIES: tuple[str, ...] = (
    "Xin chúc mừng {subject}! Những việc làm giản dị mà bền bỉ như vậy thật đáng để chúng tôi "
    "học tập.",
    "Đọc bài thấy ấm lòng. Mong trang tin giới thiệu thêm nhiều gương người tốt, việc tốt ở "
    "cơ sở như thế này.",
    "Học và làm theo Bác không ở đâu xa, chính từ những việc làm hằng ngày như thế. Cảm ơn bài "
    "viết.",
    "Cách làm rất thiết thực. Chi bộ chúng tôi sẽ tham khảo để vận dụng trong buổi sinh hoạt "
    "chuyên đề sắp tới.",
    "Chúc {subject} luôn giữ vững tinh thần ấy và tiếp tục lan tỏa những điều tốt đẹp.",
    "Những tấm gương như thế này cần được nhân rộng hơn nữa trong các cơ quan, đơn vị của tỉnh.",
    "Tôi từng có dịp làm việc với {subject}, đúng là rất tận tình, chu đáo. Bài viết nói rất đúng.",
    "Rất tự hào về {subject}. Cảm ơn những đóng góp thầm lặng mà ý nghĩa.",
    "Bài viết ngắn gọn mà sâu sắc. Mong Ban Biên tập có thêm chuyên mục kể chuyện làm theo Bác "
    "ở cơ sở.",
    "Cho tôi hỏi các chi bộ khác muốn học tập cách làm này thì liên hệ ở đâu để được hướng dẫn?",
    "Đề nghị các bài sau nêu thêm kết quả cụ thể qua từng năm để bạn đọc dễ theo dõi.",
    "Là người dân ở địa phương, tôi thấy cán bộ, đảng viên làm được như vậy thì dân rất tin tưởng.",
)
PENDING_BODIES: tuple[str, ...] = (
    *APPROVED_BODIES,
    "Bài viết rất hay. Xin phép được chia sẻ để anh chị em trong cơ quan cùng đọc.",
    "Mong {subject} giữ gìn sức khỏe để tiếp tục cống hiến.",
)
REJECTED_BODIES: tuple[str, ...] = (
    "Cho hỏi thủ tục đổi giấy phép lái xe hiện nay làm ở đâu vậy ạ?",
    "Ai có số điện thoại của nhân vật trong bài cho tôi xin với, tôi cần liên hệ việc riêng.",
    "thử bình luận xem có hiện lên không",
)
SPAM: tuple[tuple[str, str, str], ...] = (
    (
        "Vay Nhanh 24h",
        "hotro@vaynhanh.example.com",
        "Vay tiền nhanh không cần thế chấp, giải ngân trong 15 phút! Xem chi tiết tại "
        "http://vay-nhanh.example.com",
    ),
    (
        "Dịch vụ giá rẻ",
        "sale@dichvu.example.net",
        "Nhận làm bằng cấp các loại, uy tín, giao tận nơi. Liên hệ: http://bang-cap.example.net",
    ),
)
# the editors answer a question or a suggestion, and thank some readers
QUESTION, SUGGESTION = APPROVED_BODIES[9], APPROVED_BODIES[10]
ANSWERS: dict[str, str] = {
    QUESTION: "Chào bạn, các chi bộ có thể liên hệ Văn phòng Đảng ủy Dân Chính Đảng tỉnh để "
    "được giới thiệu, trao đổi kinh nghiệm với đơn vị.",
    SUGGESTION: "Cảm ơn bạn đã góp ý. Ban Biên tập sẽ bổ sung trong các bài viết tiếp theo.",
}
EDITOR_REPLIES: tuple[str, ...] = (
    "Cảm ơn bạn đã quan tâm theo dõi. Trang tin sẽ tiếp tục giới thiệu các gương điển hình "
    "tiên tiến trong Đảng bộ.",
    "Ban Biên tập cảm ơn bạn đã chia sẻ cảm nhận về bài viết.",
)
READER_REPLIES: tuple[str, ...] = (
    "Tôi cũng nghĩ như vậy. Mỗi người làm một việc tốt thì xã hội sẽ tốt đẹp hơn.",
    "Đồng tình với bạn. Những bài viết như thế này rất cần được lan tỏa.",
    "Cảm ơn bạn đã chia sẻ, tôi cũng rất xúc động khi đọc bài này.",
)
NOMINEE_BODIES: dict[bool, tuple[str, ...]] = {
    True: (
        "Tôi công tác cùng đơn vị với đồng chí {name} nhiều năm. Đồng chí luôn gương mẫu, tận "
        "tụy với công việc, được anh chị em tin yêu. Tôi hoàn toàn đồng tình với việc đề cử.",
        "Đồng chí {name} đã nhiều lần giúp đỡ gia đình tôi lúc khó khăn. Xin ghi nhận và đồng "
        "tình với việc bầu chọn đồng chí là điển hình tiên tiến.",
    ),
    False: (
        "{name} là tập thể đoàn kết, nhiều năm liền hoàn thành tốt nhiệm vụ; các hoạt động "
        "hướng về cơ sở của đơn vị được người dân ghi nhận. Tôi đồng tình với việc đề cử.",
    ),
}
SILENT_STORIES = 2  # published stories nobody commented on
MIN_PENDING = 3  # comments awaiting approval when the demo ends
REPLY_SHARE = 0.35  # approved comments answered
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def load(ctx: DemoContext) -> dict[str, int]:
    """Load the public site's demo into the orgs demo just created; return counts for the
    command's summary, by what they count."""
    world = _World.read(ctx)
    drafts = [*_model_stories(ctx), *_award_stories(ctx, world)]
    told = _write_stories(ctx, drafts)
    published = [t for t in told if t.shown]
    comments = _story_comments(ctx, told)
    on_nominees = _nominee_comments(ctx, world)
    statuses = Counter(comment.status for comment in comments)
    return {
        "Bài viết đã đăng": len(published),
        "Bài viết nháp, đã gỡ": len(told) - len(published),
        "Bình luận của bạn đọc": len(comments),
        "Bình luận đã duyệt": statuses[C.APPROVED],
        "Bình luận chờ duyệt": statuses[C.PENDING],
        "Bình luận bị từ chối, thư rác": statuses[C.REJECTED] + statuses[C.SPAM],
        "Ý kiến về người được đề cử": on_nominees,
    }


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _created(objects: Sequence[models.Model], verb: str) -> None:
    audit.record_many(objects, verb, action=Action.CREATE)


def _date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _fill(text: Text, fields: dict[str, object]) -> Text:
    return Text(*(nfc(part.format(**fields)) for part in (text.title, text.summary, text.body)))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- what the stories rest on ----------------------------------------------------------------


@dataclass
class _World:
    units: dict[int, Unit]  # by the pk of a base organization or of one of its cells
    awards: list[Award]  # of the committee's issued decisions, not revoked, in annex order
    ceremonies: dict[int, Ceremony]  # by award pk (the ceremony that honored it)
    deeds: dict[int, GoodDeed]  # by award pk: the deed its nomination rested on

    @classmethod
    def read(cls, ctx: DemoContext) -> "_World":
        units = {}
        for unit in ctx.units:
            units |= {org.pk: unit for org in (unit.org, *unit.leaves)}
        awards = list(
            Award.objects.filter(
                decision__organization=ctx.committee,
                decision__status=DecisionStatus.ISSUED,
                revoked_by__isnull=True,
            )
            .select_related("decision__round", "form", "person__organization", "collective")
            .select_related("nomination")
            .order_by("decision__date", "decision_id", "position", "pk")
        )
        by_pk = {award.pk: award for award in awards}
        through = Ceremony.honored.through
        ceremonies = {
            row.award_id: row.ceremony
            for row in through.objects.filter(award_id__in=by_pk).select_related("ceremony")
        }
        linked: dict[int, GoodDeed] = {}
        award_of = {a.nomination_id: a.pk for a in awards if a.nomination_id and a.person_id}
        links = Nomination.good_deeds.through.objects.filter(nomination_id__in=award_of)
        for link in links.select_related("gooddeed").order_by("pk"):
            linked.setdefault(award_of[link.nomination_id], link.gooddeed)
        # the deeds the nominations rested on, in annex order; too few: the people's own
        deeds = {a.pk: linked[a.pk] for a in awards if a.pk in linked}
        if len(deeds) < len(DEED_STORIES):
            others = {a.person_id: a for a in awards if a.person_id and a.pk not in deeds}
            own = GoodDeed.objects.filter(person_id__in=others).order_by("date", "pk")
            for deed in own[: 10 * len(DEED_STORIES)]:
                award = others[deed.person_id]
                if deed.date <= award.decision.date:
                    deeds.setdefault(award.pk, deed)
        return cls(units, awards, ceremonies, deeds)

    def unit_of(self, award: Award) -> Unit | None:
        org = award.person.organization if award.person else award.collective
        return self.units.get(org.pk) if org is not None else None


@dataclass
class _Draft:
    text: Text
    status: str
    published_at: datetime.datetime | None
    written_at: datetime.datetime
    subject: Organization | None
    mention: str  # how readers name the subject in their comments
    award: Award | None = None
    unit_model: UnitModel | None = None
    good_deed: GoodDeed | None = None


def _model_stories(ctx: DemoContext) -> list[_Draft]:
    """A story on each model of the case, linked to it, about its unit."""
    rng = ctx.rng
    plan = Plan.objects.filter(issuer=ctx.committee).order_by("issued_on", "pk").first()
    pilots = set(Pilot.objects.filter(plan=plan).values_list("organization_id", flat=True))
    codes = {unit.org.pk: unit.spec.code for unit in ctx.units if unit.spec.code in MODEL_STORIES}
    found = UnitModel.objects.filter(
        organization_id__in=codes, title__in=[NAMED_MODELS[code] for code in codes.values()]
    ).select_related("organization")
    models_by_code = {codes[m.organization_id]: m for m in found.order_by("pk")}
    drafts = []
    for code, spec in MODEL_STORIES.items():
        model = models_by_code.get(code)
        if model is None:
            continue
        org = model.organization
        pilot = PILOT_SENTENCE.format(pilots=len(pilots), plan=plan.symbol) if plan else ""
        fields = {
            "model": model.title,
            "org": org.name,
            "unit": org.host_name or org.name,
            "year_from": model.year_from,
            "merger": _date(ctx.merger_date),
            "pilot": pilot if org.pk in pilots else "",
        }
        text = _fill(spec.text, fields)
        text = Text(text.title, text.summary, text.body.replace(" \n\n", "\n\n"))
        published = _at(spec.day, rng.randint(7, 10), rng.choice((0, 15, 30, 45)))
        drafts.append(
            _Draft(
                text=text,
                status=StoryStatus.PUBLISHED,
                published_at=published,
                written_at=published - rng.randint(20, 72) * HOUR,
                subject=org,
                mention=org.host_name or org.name,
                unit_model=model,
            )
        )
    return drafts


def _award_stories(ctx: DemoContext, world: _World) -> list[_Draft]:
    """Stories on commended people and collectives: first those whose nomination rested on
    a good deed, then one for each slot."""
    used: set[int] = set()
    people: set[int] = set()
    drafts = []

    def take(award: Award) -> None:
        used.add(award.pk)
        if award.person_id:
            people.add(award.person_id)

    by_pk = {award.pk: award for award in world.awards}
    keys = list(DEED_STORIES)
    for pk in world.deeds:
        award = by_pk[pk]
        if not keys or award.person_id in people:
            continue
        take(award)
        drafts.append(_award_story(ctx, world, award, keys.pop(0), StoryStatus.PUBLISHED))
    for slot in SLOTS:
        free = [
            a
            for a in world.awards
            if a.pk not in used and (a.person_id is None or a.person_id not in people)
        ]
        fitting = [a for a in free if slot.fits(a, world.unit_of(a))]
        if fitting:
            pool, key = (
                [a for a in fitting if a.decision.round.year in slot.years] or fitting,
                slot.text,
            )
        else:  # nobody fits: any individual (or collective) told in the general words
            collective = slot.text in ("collective", "cell")
            pool = [a for a in free if (a.collective_id is not None) == collective]
            key = "collective" if collective else "civil"
        if not pool:
            continue
        award = ctx.rng.choice(pool)
        take(award)
        if key == "cell" and award.collective.kind != OrganizationKind.CELL:
            key = "collective"
        drafts.append(_award_story(ctx, world, award, key, slot.status))
    return drafts


def _period(round_: Round) -> str:
    if round_.kind == RoundKind.INTERIM:
        return "qua 3 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị"
    if round_.kind == RoundKind.FINAL:
        return "giai đoạn 2016–2020"
    return f"năm {round_.year}"


def _practice(achievements: str, collective: bool) -> tuple[str, str]:
    """What the dossier says they did, and the model it names (for a collective)."""
    if collective:
        first, _sep, rest = achievements.partition("\n")
        practice = first.partition(": ")[2].rstrip(".") or COLLECTIVE_PRACTICE
        model = re.search(r"“(.+?)”\.?$", rest.strip())
        return practice, model.group(1) if model else ""
    found = re.search(r"^Trong học tập và làm theo: (.+?)\.?$", achievements, re.MULTILINE)
    return (found.group(1) if found else PRACTICE), ""


def _award_story(ctx: DemoContext, world: _World, award: Award, key: str, status: str) -> _Draft:
    rng = ctx.rng
    decision, round_ = award.decision, award.decision.round
    unit = world.unit_of(award)
    home = award.person.organization if award.person else award.collective
    ceremony = world.ceremonies.get(award.pk)
    deed = world.deeds.get(award.pk) if key.startswith("deed") else None
    achievements = award.nomination.achievements if award.nomination else ""
    practice, model = _practice(achievements, award.collective_id is not None)
    bieu_duong = award.form.code == "bieu-duong"
    fields: dict[str, object] = {
        "period": _period(round_),
        "decision": f"Quyết định số {decision.symbol} ngày {_date(decision.date)}",
        "executive": EXECUTIVE,
        "learning": LEARNING,
        "praise": "biểu dương" if bieu_duong else f"tặng {award.form.name} cho",
        "praised": f"được {EXECUTIVE} "
        + ("biểu dương" if bieu_duong else f"tặng {award.form.name}"),
        "practice": practice,
        "unit": unit.spec.host_name if unit else home.name,
    }
    if award.person is not None:
        person = award.person
        fields |= {
            "name": person.full_name,
            "given": person.given_name,
            "position": person.position or "đảng viên",
            "who": ", ".join(part for part in (person.position, fields["unit"]) if part),
        }
        if deed is not None:
            fields |= {
                "deed": _lower_first(deed.title),
                "deed_cap": deed.title,
                "deed_text": deed.description,
                "deed_date": _date(deed.date),
            }
        paragraph = PERSON_AWARD.format(**fields)
        cheer, mention = PERSON_CEREMONY, f"đồng chí {person.given_name}"
        subject = person.organization
    else:
        collective = award.collective
        count = sum(
            1 for a in world.awards if a.decision_id == award.decision_id and a.collective_id
        )
        base = unit.org.name if unit else home.name
        fields |= {
            "collective": collective.name,
            "base": base,
            "count": count,
            "model_sentence": MODEL_SENTENCE.format(model=model) if model else "",
        }
        paragraph = COLLECTIVE_AWARD.format(**fields)
        cheer, mention = COLLECTIVE_CEREMONY, collective.name
        subject = collective
    if ceremony is not None:
        paragraph += cheer.format(date=_date(ceremony.date), title=ceremony.title)
    text = _fill(STORY_TEXTS[key], fields | {"award": paragraph})
    after = ceremony.date if ceremony is not None else decision.date
    day = after + datetime.timedelta(days=rng.randint(3, 24))
    published = _at(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
    written = published - rng.randint(20, 96) * HOUR
    return _Draft(
        text=text,
        status=status,
        published_at=None if status == StoryStatus.DRAFT else published,
        written_at=written,
        subject=subject,
        mention=mention,
        award=award,
        good_deed=deed,
    )


# --- writing -------------------------------------------------------------------------------


def _slugs(titles: list[str]) -> list[str]:
    """An ASCII address from each title, with a suffix where taken (or given twice)."""
    bases = []
    for title in titles:
        base, whole = slug_from(title), slugify(search_key(title))
        if len(whole) > len(base) and whole[len(base)] != "-":  # cut at a word
            base = base.rpartition("-")[0]
        bases.append(base or DEFAULT_SLUG)
    near = Q()
    for base in bases:
        near |= Q(slug=base) | Q(slug__startswith=f"{base}-")
    taken = set(Story.objects.filter(near).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


@dataclass
class _Told:
    """A story saved, with what its comments need."""

    story: Story
    mention: str  # how readers name its subject
    until: datetime.datetime | None  # withdrawn then

    @property
    def shown(self) -> bool:
        return self.story.status == StoryStatus.PUBLISHED


def _write_stories(ctx: DemoContext, drafts: list[_Draft]) -> list[_Told]:
    """Save the stories in the order they were written, with their history."""
    drafts = sorted(drafts, key=lambda d: d.written_at)
    stories = []
    for draft, slug in zip(drafts, _slugs([d.text.title for d in drafts]), strict=True):
        title, summary, body = draft.text.title, draft.text.summary, draft.text.body
        stories.append(
            Story(
                organization=ctx.committee,
                title=title,
                slug=slug,
                summary=summary,
                body=body,
                status=draft.status,
                published_at=draft.published_at,
                subject_organization=draft.subject,
                award=draft.award,
                unit_model=draft.unit_model,
                good_deed=draft.good_deed,
                created_by=ctx.admin,
                search_key=search_key(f"{title} {summary} {body}"),
            )
        )
    Story.objects.bulk_create(stories)
    told = []
    for story, draft in zip(stories, drafts, strict=True):
        until = None
        if story.status == StoryStatus.WITHDRAWN:
            until = story.published_at + ctx.rng.randint(5, 12) * DAY
        story.created_at = draft.written_at
        story.updated_at = until or draft.published_at or draft.written_at
        told.append(_Told(story, draft.mention, until))
    Story.objects.bulk_update(stories, ["created_at", "updated_at"])  # auto_now(_add) set "now"
    _created(stories, "public.story.created")
    audit.record_many(
        [s for s in stories if s.published_at is not None],
        "public.story.published",
        changes={"status": [StoryStatus.DRAFT, StoryStatus.PUBLISHED]},
    )
    audit.record_many(
        [s for s in stories if s.status == StoryStatus.WITHDRAWN],
        "public.story.withdrawn",
        changes={
            "status": [StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN],
            "reason": ["", WITHDRAW_REASON],
        },
    )
    return told


# --- comments ------------------------------------------------------------------------------


def _reader_address(index: int) -> str:
    """A documentation address (RFC 5737) for each reader: never a real one."""
    return f"203.0.113.{10 + index}"


def _comment(
    story: Story,
    reader: int | None,
    body: str,
    status: str,
    at: datetime.datetime,
    by: object,
    moderated: datetime.datetime | None,
    parent: Comment | None = None,
) -> Comment:
    """A reader's comment (or the editors' when `reader` is None)."""
    if reader is None:
        name, local, address = *EDITORS, EDITORS_ADDRESS
    else:
        (name, local), address = READERS[reader], _reader_address(reader)
    email = f"{local}@example.vn"
    return _make(story, None, parent, name, email, body, status, at, by, address, moderated)


def _make(
    story: Story | None,
    nomination: Nomination | None,
    parent: Comment | None,
    name: str,
    email: str,
    body: str,
    status: str,
    at: datetime.datetime,
    by: object,
    address: str,
    moderated: datetime.datetime | None = None,
) -> Comment:
    comment = Comment(
        story=story,
        nomination=nomination,
        parent=parent,
        name=nfc(name),
        email=email,
        body=nfc(body),
        status=status,
        address_hash=address_hash(address),
        moderated_at=moderated,
        moderated_by=by if moderated else None,
    )
    comment.created_at = at
    return comment


def _story_comments(ctx: DemoContext, told: list[_Told]) -> list[Comment]:
    """Readers' comments on the stories while they were public, replies to some approved
    ones, and two spam messages."""
    rng, admin = ctx.rng, ctx.admin
    public = [t for t in told if t.story.published_at is not None]
    shown = [t for t in public if t.shown]
    silent = {t.story.pk for t in rng.sample(shown, min(SILENT_STORIES, len(shown)))}
    plan: list[tuple[_Told, datetime.datetime, str]] = []
    for item in public:
        if item.story.pk in silent:
            continue
        start = item.story.published_at
        span = int(((item.until or start + 21 * DAY) - start) / MINUTE)
        weights = (58, 34, 8) if start.year == 2020 else (90, 0, 10)
        rejected = not item.shown  # at most one refused on a story
        for _ in range(rng.randint(1, 6) if item.shown else 1):
            at = start + rng.randint(90, span - 60) * MINUTE
            status = rng.choices((C.APPROVED, C.PENDING, C.REJECTED), weights)[0]
            if status == C.REJECTED:
                status, rejected = (C.APPROVED if rejected else status), True
            if not item.shown:  # read while it was public, moderated then
                status = C.APPROVED
            plan.append((item, at, status))
    plan.sort(key=lambda row: (row[0].story.published_at, row[1]))
    top: list[Comment] = []
    said: dict[int, str] = {}  # what each approved comment said, before naming its subject
    readers: dict[int, list[int]] = {}
    used: dict[int, set[str]] = {}
    asked: set[str] = set()
    for item, at, status in _with_every_status(plan):
        pk = item.story.pk
        if not readers.get(pk):  # a reader comments once on a story
            readers[pk] = rng.sample(range(len(READERS)), len(READERS))
        pool = {C.APPROVED: APPROVED_BODIES, C.PENDING: PENDING_BODIES}.get(status, REJECTED_BODIES)
        # each text once on a story, a question or a suggestion once in all
        fresh = [t for t in pool if t not in used.setdefault(pk, set()) and t not in asked]
        text = rng.choice(fresh or pool)
        used[pk].add(text)
        if text in ANSWERS:
            asked.add(text)
        moderated = None if status == C.PENDING else at + rng.randint(40, 20 * 60) * MINUTE
        comment = _comment(
            item.story,
            readers[pk].pop(),
            text.format(subject=item.mention),
            status,
            at,
            admin,
            moderated,
        )
        said[id(comment)] = text
        top.append(comment)
    commented = [t for t in shown if t.story.pk not in silent]
    for index, item in enumerate(rng.sample(commented, min(len(SPAM), len(commented)))):
        name, email, body = SPAM[index]
        at = item.story.published_at + rng.randint(3 * 24 * 60, 15 * 24 * 60) * MINUTE
        # the first one filled the honeypot (spam at once), a moderator caught the second
        moderated = at + rng.randint(30, 300) * MINUTE if index else None
        top.append(
            _make(item.story, None, None, name, email, body, C.SPAM, at, admin, SPAMMER, moderated)
        )
    replies = _replies(ctx, [c for c in top if c.status == C.APPROVED], said)
    _save_comments(top, replies)
    return top + replies


def _save_comments(top: list[Comment], replies: list[Comment]) -> None:
    """Insert the comments, then the replies, each at the time it was sent (saving sets
    "now"), with their audit entries."""
    for group in (top, replies):
        sent = [comment.created_at for comment in group]
        Comment.objects.bulk_create(group)
        for comment, at in zip(group, sent, strict=True):
            comment.created_at = at
    Comment.objects.bulk_update(top + replies, ["created_at"])
    _audit_comments(top + replies)


def _with_every_status(
    plan: list[tuple[_Told, datetime.datetime, str]],
) -> list[tuple[_Told, datetime.datetime, str]]:
    """Make sure the queue holds a few pending comments (the latest ones on the stories
    still shown) and that one comment was rejected (on the first story with several)."""
    rows = list(plan)
    shown = [index for index, (item, _at, _s) in enumerate(rows) if item.shown]
    approved = [index for index in shown if rows[index][2] == C.APPROVED]
    latest = sorted(approved, key=lambda index: rows[index][1], reverse=True)
    missing = MIN_PENDING - sum(1 for _item, _at, status in rows if status == C.PENDING)
    for index in latest[: max(0, missing)]:
        item, at, _status = rows[index]
        rows[index] = (item, at, C.PENDING)
    if all(status != C.REJECTED for _item, _at, status in rows):
        counts = Counter(item.story.pk for item, _at, _s in rows)
        for index in shown:
            item, at, status = rows[index]
            if counts[item.story.pk] > 1 and status == C.APPROVED:
                rows[index] = (item, at, C.REJECTED)
                break
    return rows


def _replies(ctx: DemoContext, approved: list[Comment], said: dict[int, str]) -> list[Comment]:
    """Approved answers, one level deep: the editors answer every approved question or
    suggestion; some other approved comments get the editors' thanks or a reader's word."""
    rng, admin = ctx.rng, ctx.admin
    replies = []
    for parent in approved:
        if parent.story.status != StoryStatus.PUBLISHED:
            continue
        answer = ANSWERS.get(said.get(id(parent), ""))
        if answer is None and rng.random() >= REPLY_SHARE:
            continue
        at = parent.moderated_at + rng.randint(60, 48 * 60) * MINUTE
        if answer is not None:
            reader, body = None, answer
        elif rng.random() < 0.4:
            reader, body = None, rng.choice(EDITOR_REPLIES)
        else:
            others = [i for i, (name, _local) in enumerate(READERS) if name != parent.name]
            reader, body = rng.choice(others), rng.choice(READER_REPLIES)
        moderated = at + rng.randint(20, 6 * 60) * MINUTE
        replies.append(
            _comment(parent.story, reader, body, C.APPROVED, at, admin, moderated, parent)
        )
    return replies


def _audit_comments(comments: list[Comment]) -> None:
    """An entry for each comment received, and one for each moderator's decision."""
    _created(comments, "public.comment.posted")
    for status in (C.APPROVED, C.REJECTED, C.SPAM):
        moderated = [c for c in comments if c.status == status and c.moderated_at is not None]
        audit.record_many(
            moderated, f"public.comment.{status}", changes={"status": [C.PENDING, status]}
        )


def _collective_name(world: _World, nomination: Nomination) -> str:
    """A collective's name, with its base organization's for a cell ("Chi bộ Văn phòng" is
    the name of many)."""
    collective = nomination.collective
    unit = world.units.get(collective.pk)
    if collective.kind == OrganizationKind.CELL and unit is not None:
        return f"{collective.name} ({unit.org.name})"
    return collective.name


def _nominee_comments(ctx: DemoContext, world: _World) -> int:
    """The 2020 round published its nominees for comments between the close of nominations
    and the vote: a few approved comments on nominees later commended."""
    rng, admin = ctx.rng, ctx.admin
    round_ = (
        Round.objects.filter(organization=ctx.committee, year=2020).select_related("organization")
    ).first()
    if round_ is None:
        return 0
    start = round_.submissions_close + datetime.timedelta(days=2)
    end = max(start, round_.voting_opens - datetime.timedelta(days=2))
    round_.public_comments_from, round_.public_comments_until = start, end
    round_.save(update_fields=["public_comments_from", "public_comments_until"])
    nominations = list(
        Nomination.objects.filter(round=round_, status=NominationStatus.HONORED)
        .select_related("person", "collective")
        .order_by("pk")
    )
    people = [n for n in nominations if n.person_id]
    collectives = [n for n in nominations if n.collective_id]
    chosen = rng.sample(people, min(2, len(people))) + rng.sample(
        collectives, min(1, len(collectives))
    )
    days = (end - start).days
    readers = rng.sample(range(len(READERS)), len(chosen))
    comments = []
    for index, (nomination, reader) in enumerate(zip(chosen, readers, strict=True)):
        nomination.round = round_
        is_person = nomination.person_id is not None
        name = nomination.person.full_name if is_person else _collective_name(world, nomination)
        texts = NOMINEE_BODIES[is_person]
        body = texts[index % len(texts)].format(name=name)
        reader_name, local = READERS[reader]
        day = start + datetime.timedelta(days=rng.randint(0, days))
        at = _at(day, rng.randint(7, 21), rng.randint(0, 59))
        moderated = at + rng.randint(60, 10 * 60) * MINUTE
        comments.append(
            _make(
                None,
                nomination,
                None,
                reader_name,
                f"{local}@example.vn",
                body,
                C.APPROVED,
                at,
                admin,
                _reader_address(reader),
                moderated,
            )
        )
    _save_comments(comments, [])
    return len(comments)
