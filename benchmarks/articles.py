"""Hand-written news stories in Vietnamese and English, for the dev set and the benchmark corpus.

Each story has a title, body paragraphs, one `extra` paragraph that continues the same story (used
after a sign-off, where it must be kept), and photo captions. Stories are written for this project
in the styles of Vietnamese and English-language outlets; names of officials are illustrative.
"""
from __future__ import annotations

VI = [
    dict(
        title="Hà Nội khởi công tuyến đường sắt đô thị số 5 nối Văn Cao với Hòa Lạc",
        body=[
            "Sáng 24/3, UBND thành phố Hà Nội tổ chức lễ khởi công tuyến đường sắt đô thị số 5 dài gần 39 km, nối "
            "quận Ba Đình với khu công nghệ cao Hòa Lạc, tổng vốn đầu tư khoảng 65.000 tỷ đồng.",
            "Theo Ban Quản lý đường sắt đô thị, tuyến có 20 nhà ga, trong đó đoạn qua trung tâm đi ngầm dưới đường "
            "Văn Cao và Liễu Giai, đoạn còn lại đi trên cao dọc Đại lộ Thăng Long.",
            "Phát biểu tại buổi lễ, Chủ tịch UBND thành phố yêu cầu nhà thầu bảo đảm tiến độ, an toàn lao động và hạn "
            "chế ảnh hưởng đến giao thông của người dân trong quá trình thi công.",
            "Dự kiến tuyến đường sắt hoàn thành vào năm 2030, mỗi ngày phục vụ khoảng 400.000 lượt hành khách, giúp "
            "giảm ùn tắc trên trục phía tây của thủ đô.",
        ],
        extra="Ban Quản lý đường sắt đô thị cho biết việc giải phóng mặt bằng tuyến số 5 đã đạt hơn 80%, phần còn lại "
              "sẽ được bàn giao cho nhà thầu trước tháng 9 năm nay.",
        caption_vi="Các đại biểu bấm nút khởi công tuyến đường sắt đô thị số 5.",
        caption_en="Delegates press the button to start construction of metro line No 5.",
    ),
    dict(
        title="Giá lúa tại Đồng bằng sông Cửu Long tăng mạnh đầu vụ hè thu",
        body=[
            "Giá lúa tươi tại nhiều tỉnh Đồng bằng sông Cửu Long tăng thêm 400-600 đồng mỗi kg trong tuần qua, khi "
            "thương lái đẩy mạnh thu mua để kịp giao hàng cho các hợp đồng xuất khẩu.",
            "Tại An Giang và Đồng Tháp, lúa OM 18 được thu mua với giá 7.800 đồng mỗi kg, cao hơn cùng kỳ năm ngoái "
            "khoảng 500 đồng, giúp nông dân có lãi từ 25 đến 30 triệu đồng mỗi hecta.",
            "Hiệp hội Lương thực Việt Nam cho biết nhu cầu nhập khẩu gạo từ Philippines và Indonesia tăng trở lại, "
            "trong khi nguồn cung trong khu vực chưa dồi dào do ảnh hưởng của thời tiết.",
            "Các chuyên gia khuyến cáo nông dân không nên ồ ạt mở rộng diện tích mà tập trung vào giống chất lượng "
            "cao, liên kết với doanh nghiệp để ổn định đầu ra.",
        ],
        extra="Bộ Nông nghiệp và Môi trường dự báo sản lượng lúa hè thu năm nay của vùng đạt khoảng 11 triệu tấn, "
              "tương đương năm trước, đủ đáp ứng nhu cầu tiêu dùng và xuất khẩu.",
        caption_vi="Nông dân thu hoạch lúa hè thu tại huyện Tháp Mười, Đồng Tháp.",
        caption_en="Farmers harvest summer-autumn rice in Tháp Mười District, Đồng Tháp Province.",
    ),
    dict(
        title="Bệnh viện Bạch Mai triển khai bệnh án điện tử toàn viện",
        body=[
            "Bệnh viện Bạch Mai vừa chính thức áp dụng bệnh án điện tử tại tất cả các khoa, trở thành một trong những "
            "bệnh viện tuyến trung ương đầu tiên bỏ hoàn toàn hồ sơ giấy.",
            "Theo ban giám đốc, người bệnh không còn phải mang theo sổ khám, kết quả xét nghiệm và chẩn đoán hình ảnh "
            "được cập nhật tức thì để bác sĩ tra cứu trên máy tính hoặc máy tính bảng.",
            "Việc số hóa giúp rút ngắn thời gian chờ khám trung bình từ ba giờ xuống còn khoảng một giờ rưỡi, đồng "
            "thời giảm chi phí in ấn hàng chục tỷ đồng mỗi năm.",
            "Bộ Y tế đặt mục tiêu đến cuối năm nay, tất cả bệnh viện hạng I trên cả nước phải triển khai bệnh án điện "
            "tử và kết nối dữ liệu với hệ thống bảo hiểm y tế.",
        ],
        extra="Giám đốc Bệnh viện Bạch Mai cho biết dữ liệu bệnh án được sao lưu ở hai trung tâm dữ liệu riêng biệt "
              "và chỉ nhân viên được phân quyền mới có thể truy cập.",
        caption_vi="Bác sĩ tra cứu bệnh án điện tử tại Khoa Cấp cứu, Bệnh viện Bạch Mai.",
        caption_en="A doctor checks an electronic medical record at Bạch Mai Hospital's emergency department.",
    ),
    dict(
        title="Đà Nẵng đón hơn 1,2 triệu lượt khách quốc tế trong quý I",
        body=[
            "Sở Du lịch Đà Nẵng cho biết trong ba tháng đầu năm, thành phố đón khoảng 1,2 triệu lượt khách quốc tế, "
            "tăng 28% so với cùng kỳ, chủ yếu đến từ Hàn Quốc, Trung Quốc và Ấn Độ.",
            "Công suất phòng của các khách sạn từ 4 sao trở lên đạt bình quân 75%, nhiều khu nghỉ dưỡng ven biển Mỹ "
            "Khê và Non Nước kín phòng vào các dịp cuối tuần.",
            "Thành phố đang mở thêm các đường bay thẳng đến Ấn Độ và Australia, đồng thời tổ chức lễ hội pháo hoa "
            "quốc tế và chuỗi sự kiện âm nhạc để kéo dài thời gian lưu trú của du khách.",
            "Lãnh đạo Sở Du lịch cho rằng ngành cần chú trọng chất lượng dịch vụ, xử lý nghiêm tình trạng chèo kéo, "
            "nâng giá để giữ hình ảnh điểm đến thân thiện.",
        ],
        extra="Theo kế hoạch, Đà Nẵng phấn đấu đón khoảng 4,5 triệu lượt khách quốc tế trong cả năm, tổng thu từ du "
              "lịch đạt hơn 40.000 tỷ đồng.",
        caption_vi="Du khách tắm biển Mỹ Khê, Đà Nẵng.",
        caption_en="Tourists swim at Mỹ Khê Beach in Đà Nẵng.",
    ),
    dict(
        title="Học sinh lớp 12 bước vào đợt ôn thi tốt nghiệp cuối cùng",
        body=[
            "Còn hơn hai tháng nữa đến kỳ thi tốt nghiệp trung học phổ thông, nhiều trường tại TP.HCM đã điều chỉnh "
            "thời khóa biểu, dành toàn bộ buổi chiều cho học sinh lớp 12 ôn tập theo chuyên đề.",
            "Thầy Trần Minh Đức, hiệu trưởng một trường ở quận Gò Vấp, cho biết nhà trường tổ chức thi thử hai lần để "
            "học sinh làm quen với cấu trúc đề mới và phân bổ thời gian làm bài hợp lý.",
            "Năm nay là năm đầu tiên kỳ thi được tổ chức theo chương trình giáo dục phổ thông mới, thí sinh thi bốn "
            "môn gồm toán, ngữ văn và hai môn tự chọn.",
            "Các chuyên gia tâm lý khuyên phụ huynh không nên tạo áp lực, cần bảo đảm con ngủ đủ giấc, ăn uống điều "
            "độ và dành thời gian vận động nhẹ mỗi ngày.",
        ],
        extra="Sở Giáo dục và Đào tạo TP.HCM cho biết sẽ mở đường dây nóng hỗ trợ thí sinh trong suốt thời gian ôn "
              "tập và tổ chức thi.",
        caption_vi="Học sinh lớp 12 một trường ở TP.HCM trong giờ ôn tập.",
        caption_en="Grade 12 students at a school in HCM City during a revision class.",
    ),
    dict(
        title="Nắng nóng gay gắt kéo dài ở Bắc Bộ và Trung Bộ",
        body=[
            "Trung tâm Dự báo khí tượng thủy văn quốc gia cho biết từ nay đến cuối tuần, khu vực Bắc Bộ và Trung Bộ "
            "tiếp tục có nắng nóng gay gắt, nhiệt độ cao nhất phổ biến 37-39 độ C, có nơi trên 40 độ C.",
            "Độ ẩm thấp nhất trong ngày chỉ khoảng 40-45%, nguy cơ cháy rừng ở các tỉnh Nghệ An, Hà Tĩnh và Quảng "
            "Bình ở mức cao, cơ quan kiểm lâm đã tăng cường lực lượng trực 24/24 giờ.",
            "Ngành điện cảnh báo nhu cầu sử dụng điện tăng mạnh vào buổi trưa và đầu giờ tối, đề nghị người dân sử "
            "dụng điều hòa ở mức 26 độ C trở lên và tắt các thiết bị không cần thiết.",
            "Bác sĩ khuyến cáo người cao tuổi và trẻ nhỏ hạn chế ra ngoài từ 11 giờ đến 16 giờ, uống đủ nước và đội "
            "mũ rộng vành khi phải làm việc ngoài trời.",
        ],
        extra="Cơ quan khí tượng dự báo đợt nắng nóng có thể kết thúc vào đầu tuần sau khi một đợt không khí lạnh yếu "
              "tràn xuống, gây mưa rào và dông ở vùng núi phía Bắc.",
        caption_vi="Người dân che chắn kín mít khi ra đường giữa trưa ở Hà Nội.",
        caption_en="People cover up against the midday sun in Hà Nội.",
    ),
    dict(
        title="Doanh nghiệp dệt may tìm đơn hàng mới tại thị trường châu Âu",
        body=[
            "Nhiều doanh nghiệp dệt may đang chuyển hướng sang thị trường châu Âu sau khi đơn hàng từ Mỹ giảm, tận "
            "dụng ưu đãi thuế quan từ Hiệp định thương mại tự do Việt Nam - EU.",
            "Bà Nguyễn Thị Lan, giám đốc một công ty may ở Nam Định, cho biết doanh nghiệp đã đầu tư hệ thống xử lý "
            "nước thải và sử dụng năng lượng mặt trời để đáp ứng tiêu chuẩn xanh của khách hàng.",
            "Theo Hiệp hội Dệt may Việt Nam, kim ngạch xuất khẩu sang EU trong quý I đạt khoảng 1,1 tỷ USD, tăng 14% "
            "so với cùng kỳ, trong khi xuất khẩu sang Mỹ gần như đi ngang.",
            "Hiệp hội khuyến nghị doanh nghiệp chủ động nguồn nguyên liệu trong nước để đáp ứng quy tắc xuất xứ, đồng "
            "thời đào tạo lại lao động cho các dây chuyền tự động hóa.",
        ],
        extra="Hiệp hội Dệt may Việt Nam đặt mục tiêu kim ngạch xuất khẩu toàn ngành năm nay đạt 47 tỷ USD, trong đó "
              "thị trường EU chiếm khoảng 13%.",
        caption_vi="Công nhân làm việc tại một nhà máy may ở Nam Định.",
        caption_en="Workers at a garment factory in Nam Định Province.",
    ),
    dict(
        title="Cần Thơ đưa vào sử dụng cầu vượt nút giao Cái Răng",
        body=[
            "Sau hơn hai năm thi công, cầu vượt nút giao Cái Răng ở TP Cần Thơ đã thông xe, giúp giải tỏa tình trạng "
            "ùn tắc kéo dài tại cửa ngõ phía nam của thành phố.",
            "Công trình dài 560 m, rộng bốn làn xe, tổng vốn hơn 450 tỷ đồng từ ngân sách thành phố, kết nối quốc lộ "
            "1 với tuyến đường Võ Nguyên Giáp dẫn vào trung tâm.",
            "Người dân ở quận Cái Răng cho biết trước đây vào giờ cao điểm phải mất gần nửa tiếng để đi qua nút giao, "
            "nay chỉ còn vài phút.",
            "Sở Giao thông vận tải Cần Thơ cho biết sẽ tiếp tục hoàn thiện hệ thống đèn chiếu sáng, cây xanh và vỉa "
            "hè dưới gầm cầu trong tháng tới.",
        ],
        extra="Chủ đầu tư cho biết cầu vượt Cái Răng được thiết kế với tải trọng lớn để phục vụ xe container đi từ "
              "cảng Cái Cui về các tỉnh miền Tây.",
        caption_vi="Phương tiện lưu thông qua cầu vượt nút giao Cái Răng.",
        caption_en="Vehicles travel over the Cái Răng interchange flyover.",
    ),
]

EN = [
    dict(
        title="Việt Nam's exports rise 12 per cent in first quarter",
        body=[
            "Việt Nam's exports rose 12 per cent year on year in the first quarter to US$102 billion, driven by "
            "electronics, machinery and farm products, the General Statistics Office said on Saturday.",
            "Shipments of computers and electronic components grew by nearly a quarter, while exports of coffee and "
            "fruit benefited from higher global prices and new orders from China and the Middle East.",
            "The United States remained the largest export market, followed by China and the European Union, and the "
            "trade surplus for the quarter was estimated at $3.6 billion.",
            "Economists said the outlook for the rest of the year depends on demand in major markets and on how "
            "quickly new free trade agreements are put to use by local firms.",
        ],
        extra="The statistics office also reported that imports of raw materials for manufacturing climbed 15 per "
              "cent, a sign that factories expect more orders in the coming months.",
        caption_vi="Bốc xếp hàng hóa xuất khẩu tại cảng Cát Lái, TP.HCM.",
        caption_en="Export goods being loaded at Cát Lái Port in HCM City.",
    ),
    dict(
        title="Hà Nội to ban fossil-fuel motorbikes from inner ring road by 2026",
        body=[
            "Hà Nội plans to ban petrol motorbikes from streets inside its first ring road from July 2026, as part of "
            "a plan to cut air pollution in the capital, according to a directive signed by the Prime Minister.",
            "The restriction will be extended to petrol cars and to the second and third ring roads in later phases, "
            "while the city expands electric bus routes and parking for electric vehicles.",
            "City officials said support packages for low-income residents who need to switch to electric motorbikes "
            "are being drafted and would be submitted to the municipal People's Council.",
            "Environmental groups welcomed the move but warned that enforcement and charging infrastructure will "
            "decide whether the policy makes a real difference to air quality.",
        ],
        extra="Hà Nội's Department of Natural Resources and Environment said fine dust levels in the city exceeded "
              "national standards on more than 100 days last year, mostly during the winter months.",
        caption_vi="Xe máy lưu thông trên phố Hà Nội giờ cao điểm.",
        caption_en="Motorbikes on a Hà Nội street during rush hour.",
    ),
    dict(
        title="Central provinces brace for record heatwave",
        body=[
            "Temperatures in several central provinces are forecast to exceed 40 degrees Celsius this week, the "
            "National Centre for Hydro-Meteorological Forecasting said on Monday.",
            "Authorities in Nghệ An and Hà Tĩnh have put forest rangers on 24-hour duty after humidity fell below 45 "
            "per cent, raising the risk of forest fires in pine plantations.",
            "Electricity of Việt Nam asked households to set air conditioners at 26 degrees or higher and to avoid "
            "using several high-power appliances at the same time during peak hours.",
            "Doctors advised elderly people and children to stay indoors around midday and to drink plenty of water, "
            "as hospitals reported a rise in cases of heat exhaustion.",
        ],
        extra="Forecasters said the heat should ease early next week, when a weak cold front is expected to bring "
              "showers and thunderstorms to the northern mountains.",
        caption_vi="Người lao động nghỉ trưa dưới bóng cây ở Vinh, Nghệ An.",
        caption_en="Workers rest in the shade at midday in Vinh City, Nghệ An Province.",
    ),
    dict(
        title="Bạch Mai Hospital goes paperless with electronic records",
        body=[
            "Bạch Mai Hospital in Hà Nội has rolled out electronic medical records in all of its departments, "
            "becoming one of the first central hospitals in the country to stop using paper files.",
            "Patients no longer need to carry record books, and test results and scans are available to doctors on "
            "computers and tablets as soon as they are ready, the hospital's director said.",
            "Average waiting times for outpatients have fallen from about three hours to around ninety minutes, and "
            "the hospital expects to save tens of billions of đồng a year on printing.",
            "The Ministry of Health has asked all first-class hospitals to adopt electronic records by the end of the "
            "year and to connect their data to the health insurance system.",
        ],
        extra="The hospital said patient data is backed up in two separate data centres and can only be accessed by "
              "staff with the appropriate permissions.",
        caption_vi="Bác sĩ Bệnh viện Bạch Mai sử dụng máy tính bảng khi khám bệnh.",
        caption_en="A Bạch Mai Hospital doctor uses a tablet during an examination.",
    ),
    dict(
        title="Đà Nẵng welcomes 1.2 million foreign visitors in first quarter",
        body=[
            "The central city of Đà Nẵng received about 1.2 million international visitors in the first three months "
            "of the year, up 28 per cent from a year earlier, the city's tourism department said.",
            "South Korea remained the largest source market, followed by China and India, with new direct flights "
            "from Mumbai and New Delhi helping to lift arrivals from South Asia.",
            "Occupancy at four- and five-star hotels averaged 75 per cent, and many beach resorts along Mỹ Khê were "
            "fully booked at weekends.",
            "Officials said the city would focus on service quality and crack down on overcharging to protect its "
            "reputation as a friendly destination.",
        ],
        extra="Đà Nẵng aims to welcome 4.5 million international visitors this year, and its international fireworks "
              "festival is expected to draw large crowds in June.",
        caption_vi="Du khách nước ngoài tham quan cầu Rồng, Đà Nẵng.",
        caption_en="Foreign tourists visit the Dragon Bridge in Đà Nẵng.",
    ),
    dict(
        title="Mekong Delta farmers turn to salt-tolerant rice as drought bites",
        body=[
            "Farmers in the Mekong Delta are planting more salt-tolerant rice varieties as saltwater intrusion "
            "reaches further inland during the dry season, agricultural officials in Sóc Trăng and Bạc Liêu said.",
            "Salinity of four grams per litre was recorded more than 50 kilometres from the sea on the Hậu River this "
            "month, forcing some districts to delay sowing the summer-autumn crop.",
            "Researchers at the Mekong Delta Rice Research Institute said new varieties can withstand salinity of up "
            "to six grams per litre while keeping yields close to conventional rice.",
            "Provincial authorities are also building sluice gates and reservoirs to store fresh water, and "
            "encouraging farmers to combine rice with shrimp farming on affected land.",
        ],
        extra="The institute said it would supply 2,000 tonnes of certified salt-tolerant seed to delta provinces "
              "before the next planting season.",
        caption_vi="Nông dân Sóc Trăng kiểm tra độ mặn trên ruộng lúa.",
        caption_en="A farmer in Sóc Trăng measures salinity in a rice field.",
    ),
    dict(
        title="Garment makers look to Europe as US orders slow",
        body=[
            "Vietnamese garment makers are turning to the European Union for new orders as demand from the United "
            "States slows, taking advantage of tariff cuts under the EU-Việt Nam free trade agreement.",
            "A factory director in Nam Định said her company had invested in wastewater treatment and rooftop solar "
            "panels to meet the environmental standards set by European buyers.",
            "Exports of textiles and garments to the EU reached about $1.1 billion in the first quarter, up 14 per "
            "cent, while shipments to the US were almost flat, according to the Việt Nam Textile and Apparel "
            "Association.",
            "The association urged firms to source more fabric locally to meet rules of origin and to retrain workers "
            "for automated production lines.",
        ],
        extra="The association targets total textile and garment exports of $47 billion this year, with the EU "
              "accounting for around 13 per cent.",
        caption_vi="Công nhân may hàng xuất khẩu tại một nhà máy ở Nam Định.",
        caption_en="Workers sew export garments at a factory in Nam Định.",
    ),
    dict(
        title="Việt Nam and Japan agree to expand semiconductor training",
        body=[
            "Việt Nam and Japan have agreed to expand cooperation in semiconductor training, with Japanese "
            "universities offering scholarships and internships to Vietnamese engineering students.",
            "Under a memorandum signed in Tokyo on Thursday, the two sides will set up joint laboratories at "
            "universities in Hà Nội and HCM City and send lecturers for short-term teaching.",
            "Việt Nam aims to train 50,000 semiconductor engineers by 2030 to attract more chip design, packaging and "
            "testing investment from foreign companies.",
            "Japanese business leaders said a skilled workforce was the deciding factor for investors choosing "
            "between Việt Nam and other countries in the region.",
        ],
        extra="The memorandum also covers joint research on chip packaging materials, with the first projects "
              "expected to start at Hà Nội University of Science and Technology next year.",
        caption_vi="Sinh viên thực hành tại phòng thí nghiệm vi mạch ở Hà Nội.",
        caption_en="Students practise in a microchip laboratory in Hà Nội.",
    ),
]
