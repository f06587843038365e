"""The e-services named in the 2016 article (seeds/FACTS.md), with the fees of DOMAIN-RULES.md.

The data is frozen here, as a migration must be; the back-office edits it afterwards.
"""

from django.db import migrations

EST, IND, SEEK, STU, AGE = "E", "I", "J", "S", "A"
WEB, MOB, SAN = "W", "M", "S"

PERMIT_FEE_NOTE_EN = (
    "Per worker, by profession category: first OMR 301.000, second OMR 251.000, third "
    "OMR 201.000, investor OMR 301.000, non-profit bodies OMR 101.000. 30% off when the "
    "establishment meets its Omanisation share, double when it does not. Paid after approval."
)
PERMIT_FEE_NOTE_AR = (
    "لكل عامل حسب فئة المهنة: الأولى 301.000 ر.ع، الثانية 251.000 ر.ع، الثالثة 201.000 ر.ع، "
    "المستثمر 301.000 ر.ع، الجهات غير الربحية 101.000 ر.ع. خصم 30% للمنشأة الملتزمة بنسبة "
    "التعمين، وضعف الرسم لغير الملتزمة. يُدفع بعد الموافقة."
)
LATE_FEE_NOTE_EN = " Late renewal: OMR 10.000 per worker per month, up to OMR 500.000."
LATE_FEE_NOTE_AR = " التأخر في التجديد: 10.000 ر.ع لكل عامل عن كل شهر بحد أقصى 500.000 ر.ع."
SCHEDULE_NOTE_EN = "As in the ministry's fee schedule; paid online."
SCHEDULE_NOTE_AR = "حسب جدول رسوم الوزارة، ويُدفع إلكترونيًا."
IMMEDIATE_EN = "Immediately, when every condition is met"
IMMEDIATE_AR = "فوري عند استيفاء جميع الشروط"

SERVICES = [
    {
        "code": "LICENCE_COMMERCIAL",
        "category": "LICENSING",
        "name_ar": "ترخيص استقدام قوى عاملة غير عمانية (تجاري)",
        "name_en": "Licence to recruit non-national workers (commercial)",
        "description_ar": (
            "تقدّم المنشأة طلب ترخيص لاستقدام عمال غير عمانيين لمهن محددة. يُتحقق إلكترونيًا من "
            "سريان السجل التجاري وعضوية غرفة التجارة والصناعة، ومن أن المهنة غير مقصورة على "
            "العمانيين، وأن المنشأة ملتزمة بنسبة التعمين. لا حاجة إلى ترخيص ورقي؛ تصدر الشرطة "
            "التأشيرة مقابل ترخيص ساري المفعول فيه شاغر من النوع والمهنة نفسيهما."
        ),
        "description_en": (
            "An establishment applies for a licence to bring non-national workers for named "
            "professions. The commercial registration and the Chamber of Commerce membership are "
            "checked electronically, as are the rule that the profession is not reserved for "
            "nationals and the establishment's Omanisation share. No paper licence: the police "
            "issue a visa only against a valid licence with an open vacancy of the same type "
            "and profession."
        ),
        "audience": [EST],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": (
            "رقم السجل التجاري الساري، رقم عضوية الغرفة السارية، المهنة والجنسية والجنس وعدد "
            "العمال المطلوبين."
        ),
        "required_data_en": (
            "A valid commercial registration number, a valid chamber membership number, and the "
            "profession, nationality, gender and number of workers requested."
        ),
        "fee_baisa": 301_000,
        "fee_note_ar": PERMIT_FEE_NOTE_AR,
        "fee_note_en": PERMIT_FEE_NOTE_EN,
        "expected_time_ar": IMMEDIATE_AR,
        "expected_time_en": IMMEDIATE_EN,
    },
    {
        "code": "LICENCE_PRIVATE",
        "category": "LICENSING",
        "name_ar": "ترخيص استقدام قوى عاملة غير عمانية (خاص)",
        "name_en": "Licence to recruit non-national workers (private)",
        "description_ar": (
            "يتقدم الفرد أو الأسرة بطلب ترخيص لاستقدام عامل منزلي أو سائق خاص. لا يلزم إرفاق "
            "مستندات؛ يُوافق على الطلب تلقائيًا في أي وقت متى عُرف دخل مقدم الطلب ووضعه من "
            "الجهات المختصة."
        ),
        "description_en": (
            "An individual or household applies for a licence to bring a domestic worker or a "
            "private driver. No documents to attach: the request is approved automatically at "
            "any hour when the applicant's income and status are known from the agencies that "
            "hold them."
        ),
        "audience": [IND],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": "الرقم المدني لمقدم الطلب، المهنة والجنسية والجنس المطلوبة.",
        "required_data_en": (
            "The applicant's civil number, and the profession, nationality and gender requested."
        ),
        "fee_baisa": None,
        "fee_note_ar": SCHEDULE_NOTE_AR,
        "fee_note_en": SCHEDULE_NOTE_EN,
        "expected_time_ar": IMMEDIATE_AR,
        "expected_time_en": IMMEDIATE_EN,
    },
    {
        "code": "VISA_AGAINST_LICENCE",
        "category": "LICENSING",
        "name_ar": "التأشيرة مقابل الترخيص (بالربط مع شرطة عمان السلطانية)",
        "name_en": "Visa against a licence (with the Royal Oman Police)",
        "description_ar": (
            "تصدر شرطة عمان السلطانية تأشيرة العامل إلكترونيًا مقابل ترخيص ساري المفعول فيه شاغر "
            "من النوع والمهنة نفسيهما، ويُحجز الشاغر فور طلب التأشيرة."
        ),
        "description_en": (
            "The Royal Oman Police issue the worker's visa electronically against a valid "
            "licence with an open vacancy of the same type and profession; the vacancy is "
            "reserved as soon as the visa is requested."
        ),
        "audience": [EST, IND, AGE],
        "channels": [WEB, SAN],
        "required_data_ar": "رقم الترخيص، بيانات جواز سفر العامل، المهنة.",
        "required_data_en": "The licence number, the worker's passport details, the profession.",
        "fee_baisa": None,
        "fee_note_ar": "تُدفع رسوم التأشيرة لشرطة عمان السلطانية.",
        "fee_note_en": "The visa fee is paid to the Royal Oman Police.",
        "expected_time_ar": "يوم عمل واحد",
        "expected_time_en": "One working day",
    },
    {
        "code": "ARRIVAL_REGISTRATION",
        "category": "LABOUR_CARDS",
        "name_ar": "تسجيل وصول العامل غير العماني",
        "name_en": "Arrival registration of a non-national worker",
        "description_ar": (
            "تصل بيانات وصول العامل من المنفذ الحدودي إلى الوزارة مباشرة، بما فيها الرقم المدني "
            "الذي يبقى رقم بطاقة الإقامة؛ يطّلع صاحب العمل عليها ويستكمل بيانات العامل."
        ),
        "description_en": (
            "The worker's arrival data, with the civil number that stays the resident card "
            "number, comes straight from the border post to the ministry; the employer sees it "
            "and completes the worker's data."
        ),
        "audience": [EST, IND, AGE],
        "channels": [WEB, SAN],
        "required_data_ar": "لا شيء: تصل البيانات من شرطة عمان السلطانية.",
        "required_data_en": "Nothing: the data comes from the Royal Oman Police.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "CARD_RENEWAL_COMMERCIAL",
        "category": "LABOUR_CARDS",
        "name_ar": "تجديد بطاقة العمل للقوى العاملة غير العمانية (تجاري)",
        "name_en": "Labour card renewal for non-national workers (commercial)",
        "description_ar": (
            "تجدد المنشأة تصريح مزاولة العمل (بطاقة العمل) للعامل المنتهية بطاقته أو التي توشك "
            "على الانتهاء، لمدة تصل إلى 24 شهرًا متوافقة مع بطاقة الإقامة."
        ),
        "description_en": (
            "An establishment renews the work practice permit (labour card) of a worker whose "
            "card has expired or is about to, for up to 24 months, aligned with the residence "
            "card."
        ),
        "audience": [EST],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": "الرقم المدني للعامل، مدة التجديد.",
        "required_data_en": "The worker's civil number, the renewal period.",
        "fee_baisa": 301_000,
        "fee_note_ar": PERMIT_FEE_NOTE_AR + LATE_FEE_NOTE_AR,
        "fee_note_en": PERMIT_FEE_NOTE_EN + LATE_FEE_NOTE_EN,
        "expected_time_ar": IMMEDIATE_AR,
        "expected_time_en": IMMEDIATE_EN,
    },
    {
        "code": "CARD_RENEWAL_PRIVATE",
        "category": "LABOUR_CARDS",
        "name_ar": "تجديد بطاقة العمل للقوى العاملة غير العمانية (خاص)",
        "name_en": "Labour card renewal for non-national workers (private)",
        "description_ar": (
            "يجدد الفرد أو الأسرة بطاقة عمل العامل المنزلي أو السائق الخاص المنتهية أو التي توشك "
            "على الانتهاء."
        ),
        "description_en": (
            "An individual or household renews the labour card of a domestic worker or private "
            "driver whose card has expired or is about to."
        ),
        "audience": [IND],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": "الرقم المدني للعامل، مدة التجديد.",
        "required_data_en": "The worker's civil number, the renewal period.",
        "fee_baisa": None,
        "fee_note_ar": SCHEDULE_NOTE_AR + LATE_FEE_NOTE_AR,
        "fee_note_en": SCHEDULE_NOTE_EN + LATE_FEE_NOTE_EN,
        "expected_time_ar": IMMEDIATE_AR,
        "expected_time_en": IMMEDIATE_EN,
    },
    {
        "code": "WORKER_DATA_MODIFICATION",
        "category": "LABOUR_CARDS",
        "name_ar": "تعديل بيانات القوى العاملة غير العمانية",
        "name_en": "Modification of non-national worker data",
        "description_ar": (
            "تعديل اسم العامل بالعربية والإنجليزية، أو الرقم المدني، أو حالة العامل، أو رقم "
            "الجواز، أو الجنسية، للمنشآت والأفراد."
        ),
        "description_en": (
            "Change a worker's name in Arabic and English, civil number, worker status, "
            "passport number or nationality, for establishments and individuals."
        ),
        "audience": [EST, IND],
        "channels": [WEB, SAN],
        "required_data_ar": "الرقم المدني للعامل، البيانات الجديدة وسبب التعديل.",
        "required_data_en": "The worker's civil number, the new data and the reason for it.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "يوم عمل واحد",
        "expected_time_en": "One working day",
    },
    {
        "code": "DEPARTURE_FORM",
        "category": "LABOUR_CARDS",
        "name_ar": "استمارة المغادرة",
        "name_en": "Departure form",
        "description_ar": (
            "عند مغادرة العامل غير العماني البلاد نهائيًا يطبع صاحب العمل استمارة المغادرة "
            "ويدفع رسمها إلكترونيًا، وتُبلَّغ الشرطة بها."
        ),
        "description_en": (
            "When a non-national worker leaves the country for good, the employer prints the "
            "departure form and pays its fee online; the police are notified."
        ),
        "audience": [EST, IND],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": "الرقم المدني للعامل، تاريخ المغادرة.",
        "required_data_en": "The worker's civil number, the departure date.",
        "fee_baisa": None,
        "fee_note_ar": SCHEDULE_NOTE_AR,
        "fee_note_en": SCHEDULE_NOTE_EN,
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "TRANSFER_OF_SERVICES",
        "category": "LABOUR_CARDS",
        "name_ar": "نقل خدمات عامل غير عماني إلى صاحب عمل آخر",
        "name_en": "Transfer of a non-national worker's services to another employer",
        "description_ar": (
            "ينقل صاحب العمل الجديد المرخَّص له بالاستقدام خدمات العامل بعد انتهاء عقده السابق "
            "أو إنهائه، دون شهادة عدم ممانعة. لا يجوز نقل عامل عليه بلاغ ترك عمل معتمد."
        ),
        "description_en": (
            "A new employer licensed to recruit takes over a worker whose previous contract has "
            "ended or been terminated, with no objection certificate needed. A worker under an "
            "approved work-abandonment report cannot be transferred."
        ),
        "audience": [EST, IND],
        "channels": [WEB, SAN],
        "required_data_ar": "الرقم المدني للعامل، رقم ترخيص صاحب العمل الجديد، المهنة.",
        "required_data_en": (
            "The worker's civil number, the new employer's licence number, the profession."
        ),
        "fee_baisa": None,
        "fee_note_ar": SCHEDULE_NOTE_AR,
        "fee_note_en": SCHEDULE_NOTE_EN,
        "expected_time_ar": "ثلاثة أيام عمل",
        "expected_time_en": "Three working days",
    },
    {
        "code": "CONTRACT_REGISTRATION",
        "category": "CONTRACTS",
        "name_ar": "تسجيل عقود عمل القوى العاملة الوطنية",
        "name_en": "Employment contract registration for national workers",
        "description_ar": (
            "تسجل المنشأة عقد عمل العامل العماني إلكترونيًا، ويقبله العامل عبر البوابة أو التطبيق."
        ),
        "description_en": (
            "An establishment registers a national worker's employment contract online; the "
            "worker accepts it on the portal or the app."
        ),
        "audience": [EST, IND],
        "channels": [WEB, MOB],
        "required_data_ar": "الرقم المدني للعامل، المهنة، الأجر الأساسي، تاريخ بدء العمل.",
        "required_data_en": (
            "The worker's civil number, the profession, the basic wage, the start date."
        ),
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "عند قبول العامل للعقد",
        "expected_time_en": "When the worker accepts the contract",
    },
    {
        "code": "RESIGNATION_TERMINATION",
        "category": "CONTRACTS",
        "name_ar": "الاستقالة وإنهاء الخدمة",
        "name_en": "Resignation and termination of service",
        "description_ar": "يقدّم صاحب العمل استقالة العامل أو إنهاء خدمته إلكترونيًا.",
        "description_en": "The employer submits a worker's resignation or termination online.",
        "audience": [EST],
        "channels": [WEB, SAN],
        "required_data_ar": "الرقم المدني للعامل، تاريخ آخر يوم عمل، السبب.",
        "required_data_en": "The worker's civil number, the last working day, the reason.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "يوم عمل واحد",
        "expected_time_en": "One working day",
    },
    {
        "code": "E_CANDIDACY",
        "category": "JOBS",
        "name_ar": "الترشيح الإلكتروني للوظائف الشاغرة في القطاع الخاص",
        "name_en": "E-candidacy for private-sector vacancies",
        "description_ar": (
            "تُعرض الوظائف الشاغرة في القطاع الخاص على البوابة، ويتقدم لها الباحثون عن عمل مباشرة."
        ),
        "description_en": (
            "Private-sector vacancies are published on the portal and job seekers apply for "
            "them directly."
        ),
        "audience": [SEEK, EST],
        "channels": [WEB, MOB],
        "required_data_ar": "الرقم المدني، المؤهل الدراسي، الوظيفة المرغوبة.",
        "required_data_en": "The civil number, the qualification, the vacancy applied for.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "COMPLAINT",
        "category": "LABOUR_CARE",
        "name_ar": "الشكاوى العمالية",
        "name_en": "Labour complaints",
        "description_ar": (
            "يقدّم العامل أو صاحب العمل الشكوى إلكترونيًا ويتابع حالتها، وتحدد الوزارة موعدًا "
            "للجلسة وتُبلغ الطرفين برسالة نصية وبريد إلكتروني. تسقط المطالبة بعد سنة من نشوئها."
        ),
        "description_en": (
            "A worker or an employer files a complaint online and follows its status; the "
            "ministry sets a meeting and informs both parties by SMS and e-mail. A claim lapses "
            "one year after it arises."
        ),
        "audience": [IND, EST],
        "channels": [WEB, MOB],
        "required_data_ar": "الرقم المدني، رقم السجل التجاري لصاحب العمل، فئة الشكوى وتفاصيلها.",
        "required_data_en": (
            "The civil number, the employer's commercial registration, the complaint category "
            "and details."
        ),
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "تحديد موعد الجلسة خلال سبعة أيام",
        "expected_time_en": "A meeting is set within seven days",
    },
    {
        "code": "WORK_ABANDONMENT_REPORT",
        "category": "LABOUR_CARE",
        "name_ar": "بلاغ ترك العمل",
        "name_en": "Work-abandonment report",
        "description_ar": (
            "يقدّم صاحب العمل البلاغ إلكترونيًا بعد سبعة أيام على الأقل من انقطاع العامل عن العمل، "
            "مع إثبات دفع أجور آخر ثلاثة أشهر. يحق للعامل الاعتراض خلال 60 يومًا من الاعتماد."
        ),
        "description_en": (
            "The employer files the report online at least seven days after the worker stopped "
            "working, with proof of the last three months' wages. The worker may object within "
            "60 days of approval."
        ),
        "audience": [EST, IND],
        "channels": [WEB],
        "required_data_ar": "الرقم المدني للعامل، آخر يوم عمل، إثبات دفع الأجور.",
        "required_data_en": "The worker's civil number, the last working day, proof of wages.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "خمسة أيام عمل",
        "expected_time_en": "Five working days",
    },
    {
        "code": "LABOUR_DISPUTE",
        "category": "LABOUR_CARE",
        "name_ar": "نظام الرعاية العمالية (المنازعات العمالية)",
        "name_en": "Labour care system (labour disputes)",
        "description_ar": (
            "تسجيل المنازعات العمالية ومتابعتها وتبادل بياناتها مع الادعاء العام والمحاكم."
        ),
        "description_en": (
            "Labour disputes are recorded and followed, and their data exchanged with the "
            "Public Prosecution and the courts."
        ),
        "audience": [IND, EST, AGE],
        "channels": [WEB],
        "required_data_ar": "رقم الشكوى أو بيانات طرفي النزاع.",
        "required_data_en": "The complaint number or the details of both parties.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "حسب القضية",
        "expected_time_en": "Depends on the case",
    },
    {
        "code": "WPS_SALARY_FILE",
        "category": "WAGES",
        "name_ar": "نظام حماية الأجور: ملف معلومات الرواتب",
        "name_en": "Wage Protection System: salary information file",
        "description_ar": (
            "تُحوَّل الأجور عبر مصرف مرخَّص من البنك المركزي العماني خلال ثلاثة أيام من نهاية فترة "
            "الأجر، ويقارن النظام الأجر المتعاقد عليه بالمبلغ المدفوع."
        ),
        "description_en": (
            "Wages are paid through a bank licensed by the Central Bank of Oman within three "
            "days after the wage period; the system compares the contract wage with the amount "
            "paid."
        ),
        "audience": [EST, AGE],
        "channels": [WEB],
        "required_data_ar": "ملف معلومات الرواتب (SIF) من المصرف.",
        "required_data_en": "The salary information file (SIF) from the bank.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "شهريًا",
        "expected_time_en": "Monthly",
    },
    {
        "code": "OMANISATION_CERTIFICATE",
        "category": "LICENSING",
        "name_ar": "شهادة الالتزام بالتعمين",
        "name_en": "Omanisation compliance certificate",
        "description_ar": (
            "شهادة إلكترونية تثبت التزام المنشأة بنسبة التعمين المقررة، تطلبها الجهات الحكومية "
            "الأخرى."
        ),
        "description_en": (
            "An electronic certificate that the establishment meets its required share of "
            "nationals; other government agencies ask for it."
        ),
        "audience": [EST, AGE],
        "channels": [WEB, SAN],
        "required_data_ar": "رقم السجل التجاري.",
        "required_data_en": "The commercial registration number.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "E_PAYMENT",
        "category": "ACCOUNT",
        "name_ar": "الدفع الإلكتروني",
        "name_en": "Electronic payment",
        "description_ar": "دفع رسوم الخدمات عبر بوابة الدفع الإلكتروني والحصول على إيصال فوري.",
        "description_en": "Pay service fees through the payment gateway and get a receipt at once.",
        "audience": [EST, IND],
        "channels": [WEB, MOB, SAN],
        "required_data_ar": "رقم الفاتورة، بطاقة مصرفية.",
        "required_data_en": "The invoice number, a bank card.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "PKI_SIGN_IN",
        "category": "ACCOUNT",
        "name_ar": "التصديق الإلكتروني (الدخول بالبطاقة الشخصية)",
        "name_en": "Electronic authentication (sign-in with the national ID card)",
        "description_ar": (
            "الدخول إلى البوابة بشهادة التصديق الإلكتروني في البطاقة الشخصية (البنية الأساسية للمفتاح "
            "العام)."
        ),
        "description_en": (
            "Sign in to the portal with the certificate on the national ID card (public key "
            "infrastructure)."
        ),
        "audience": [EST, IND, SEEK, STU],
        "channels": [WEB, SAN],
        "required_data_ar": "البطاقة الشخصية وقارئ البطاقات ورمز التعريف الشخصي.",
        "required_data_en": "The ID card, a card reader and the PIN.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "COLLEGE_STUDENT_DATA",
        "category": "COLLEGES",
        "name_ar": "نظام بيانات طلبة الكليات التقنية",
        "name_en": "Technical colleges student data system",
        "description_ar": (
            "بيانات طلبة الكليات التقنية السبع: القبول والتسجيل والدرجات والخريجين، وينتقل "
            "الخريجون إلى سجل الباحثين عن عمل."
        ),
        "description_en": (
            "Student data of the seven technical colleges: admission, enrolment, grades and "
            "graduates, who move on to the job seekers' register."
        ),
        "audience": [STU, AGE],
        "channels": [WEB],
        "required_data_ar": "الرقم المدني للطالب، الكلية والبرنامج.",
        "required_data_en": "The student's civil number, the college and the programme.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "OPEN_DATA",
        "category": "INFORMATION",
        "name_ar": "بوابة البيانات المفتوحة",
        "name_en": "Open data portal",
        "description_ar": (
            "مستودع بيانات عن القوى العاملة الوطنية والوافدة في القطاع الخاص لأصحاب العمل "
            "والباحثين عن عمل والجهات والطلبة، للبحوث والتقارير، مع تنزيل سهل وسريع."
        ),
        "description_en": (
            "A repository of data on national and expatriate workers in the private sector, "
            "for employers, job seekers, agencies and students to build research and reports, "
            "with fast and easy downloads."
        ),
        "audience": [EST, IND, SEEK, STU, AGE],
        "channels": [WEB],
        "required_data_ar": "لا شيء: البيانات متاحة للجميع.",
        "required_data_en": "Nothing: the data is open to all.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "فوري",
        "expected_time_en": "Immediate",
    },
    {
        "code": "SATISFACTION_SURVEY",
        "category": "INFORMATION",
        "name_ar": "استبيان رضا المستفيدين",
        "name_en": "Satisfaction survey",
        "description_ar": "استبيانات إلكترونية لقياس رضا المستفيدين عن الخدمات ومعرفة ما يحتاج إلى تحسين.",
        "description_en": (
            "Electronic questionnaires on how satisfied people are with the services, to find "
            "what to improve."
        ),
        "audience": [EST, IND, SEEK, STU],
        "channels": [WEB, MOB],
        "required_data_ar": "لا شيء.",
        "required_data_en": "Nothing.",
        "fee_baisa": None,
        "fee_note_ar": "",
        "fee_note_en": "",
        "expected_time_ar": "خمس دقائق",
        "expected_time_en": "Five minutes",
    },
]

AUDIENCE_FIELDS = {
    EST: "for_establishments",
    IND: "for_individuals",
    SEEK: "for_job_seekers",
    STU: "for_students",
    AGE: "for_agencies",
}
CHANNEL_FIELDS = {WEB: "channel_web", MOB: "channel_mobile", SAN: "channel_sanad"}


def seed(apps, schema_editor):
    Service = apps.get_model("portal", "Service")
    for position, row in enumerate(SERVICES, start=1):
        data = dict(row)
        audience, channels = data.pop("audience"), data.pop("channels")
        data.update({field: key in audience for key, field in AUDIENCE_FIELDS.items()})
        data.update({field: key in channels for key, field in CHANNEL_FIELDS.items()})
        Service.objects.update_or_create(
            code=data.pop("code"), defaults={**data, "position": position * 10, "is_online": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(
        code__in=[row["code"] for row in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
