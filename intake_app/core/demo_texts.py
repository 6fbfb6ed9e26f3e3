"""Synthetic testimony for demo and benchmark vaults. Fictional people and places.

The sentences are parallel across languages (index i says the same thing everywhere), so a
translation of a demo statement is a faithful one. Ukrainian avoids placeholders where grammatical
case would change the word.
"""

from __future__ import annotations

SENTENCES: dict[str, list[str]] = {
    "en": [
        "On the morning of {date}, armed men in uniform came to our street in {place}.",
        "They went from house to house and ordered everyone outside.",
        "My brother {name} was taken away in a white truck; we have not heard from him since.",
        "For three days they kept us locked in a basement, about twenty of us.",
        "They gave us water once a day and did not allow us to speak.",
        "One of the guards had a scar on his left hand, and the others called him by a nickname.",
        "The soldiers said that anyone who spoke about this would be found.",
        "I remember that it was raining and the electricity had been cut for two days.",
        "When they let us go, my house had been burned and our papers were gone.",
        "A doctor at the clinic in the next town treated the wounds on my wrists.",
        "My neighbours saw everything and are ready to speak if they are safe.",
        "That same night we left on foot, with my mother and my two children.",
        "I still do not sleep well, and loud noises frighten my children.",
        "I told my story once before to a journalist, but nothing happened afterwards.",
        "I can describe the building where we were held: it had a green gate and a water tower beside it.",
        "I want the people responsible to be known, and I want to know where my brother is.",
    ],
    "fr": [
        "Le matin du {date}, des hommes armés en uniforme sont arrivés dans notre rue, à {place}.",
        "Ils sont allés de maison en maison et ont ordonné à tout le monde de sortir.",
        "Mon frère {name} a été emmené dans un camion blanc ; depuis, nous n'avons plus aucune nouvelle de lui.",
        "Pendant trois jours, ils nous ont enfermés dans un sous-sol, une vingtaine de personnes.",
        "On nous donnait de l'eau une fois par jour et nous n'avions pas le droit de parler.",
        "L'un des gardes avait une cicatrice sur la main gauche, et les autres l'appelaient par un surnom.",
        "Les soldats ont dit que quiconque parlerait de tout cela serait retrouvé.",
        "Je me souviens qu'il pleuvait et que l'électricité était coupée depuis deux jours.",
        "Quand ils nous ont relâchés, ma maison avait été incendiée et nos papiers avaient disparu.",
        "Un médecin du dispensaire de la ville voisine a soigné les blessures à mes poignets.",
        "Mes voisins ont tout vu et sont prêts à parler s'ils sont en sécurité.",
        "Le soir même, nous sommes partis à pied, avec ma mère et mes deux enfants.",
        "Je dors encore mal, et les bruits forts font peur à mes enfants.",
        "J'ai déjà raconté mon histoire une fois à un journaliste, mais rien ne s'est passé ensuite.",
        "Je peux décrire le bâtiment où l'on nous retenait : il avait un portail vert et un château d'eau à côté.",
        "Je veux que les responsables soient connus, et je veux savoir où se trouve mon frère.",
    ],
    "es": [
        "La mañana del {date}, hombres armados y uniformados llegaron a nuestra calle, en {place}.",
        "Fueron de casa en casa y ordenaron a todo el mundo que saliera.",
        "A mi hermano {name} se lo llevaron en un camión blanco; desde entonces no sabemos nada de él.",
        "Durante tres días nos tuvieron encerrados en un sótano, a unas veinte personas.",
        "Nos daban agua una vez al día y no nos dejaban hablar.",
        "Uno de los guardias tenía una cicatriz en la mano izquierda, y los demás lo llamaban por un apodo.",
        "Los soldados dijeron que encontrarían a cualquiera que hablara de esto.",
        "Recuerdo que llovía y que llevábamos dos días sin electricidad.",
        "Cuando nos soltaron, mi casa estaba quemada y nuestros documentos habían desaparecido.",
        "Un médico de la clínica del pueblo vecino me curó las heridas de las muñecas.",
        "Mis vecinos lo vieron todo y están dispuestos a hablar si están a salvo.",
        "Esa misma noche salimos a pie, con mi madre y mis dos hijos.",
        "Todavía duermo mal, y los ruidos fuertes asustan a mis hijos.",
        "Ya conté mi historia una vez a un periodista, pero después no pasó nada.",
        "Puedo describir el edificio donde nos tenían: tenía un portón verde y un depósito de agua al lado.",
        "Quiero que se sepa quiénes son los responsables, y quiero saber dónde está mi hermano.",
    ],
    "ar": [
        "في صباح يوم {date}، جاء رجال مسلحون بالزي العسكري إلى شارعنا في {place}.",
        "انتقلوا من بيت إلى بيت وأمروا الجميع بالخروج.",
        "أخذوا أخي {name} في شاحنة بيضاء، ولم نسمع عنه شيئاً منذ ذلك الحين.",
        "احتجزونا ثلاثة أيام في قبو، وكنا نحو عشرين شخصاً.",
        "كانوا يعطوننا الماء مرة واحدة في اليوم، ولم يسمحوا لنا بالكلام.",
        "كانت على يد أحد الحراس اليسرى ندبة، وكان الآخرون ينادونه بلقب.",
        "قال الجنود إن كل من يتحدث عن هذا سيُعثر عليه.",
        "أتذكر أن المطر كان يهطل، وأن الكهرباء كانت مقطوعة منذ يومين.",
        "عندما أطلقوا سراحنا، كان بيتي قد أُحرق واختفت أوراقنا الثبوتية.",
        "عالج طبيب في مستوصف البلدة المجاورة الجروح التي في معصميّ.",
        "رأى جيراني كل شيء، وهم مستعدون للحديث إن كانوا في أمان.",
        "في الليلة نفسها غادرنا سيراً على الأقدام، أنا وأمي وطفلاي.",
        "ما زلت لا أنام جيداً، والأصوات العالية تُخيف أطفالي.",
        "رويت قصتي مرة من قبل لصحفي، لكن شيئاً لم يحدث بعد ذلك.",
        "أستطيع أن أصف المبنى الذي احتُجزنا فيه: كانت له بوابة خضراء وبجانبه خزان ماء.",
        "أريد أن يُعرف المسؤولون، وأريد أن أعرف أين أخي.",
    ],
    "uk": [
        "Вранці {date} на нашу вулицю в селищі {place} прийшли озброєні люди у формі.",
        "Вони ходили від хати до хати й наказували всім виходити надвір.",
        "Мого брата {name} забрали в білій вантажівці; відтоді ми нічого про нього не знаємо.",
        "Три дні нас тримали замкненими в підвалі, нас було близько двадцяти.",
        "Воду нам давали раз на день і не дозволяли розмовляти.",
        "В одного з охоронців був шрам на лівій руці, й інші кликали його на прізвисько.",
        "Солдати казали, що кожного, хто про це розповість, знайдуть.",
        "Пам'ятаю, що йшов дощ, а світла не було вже два дні.",
        "Коли нас відпустили, мій дім був спалений, а наші документи зникли.",
        "Лікар у медпункті сусіднього містечка обробив рани на моїх зап'ястях.",
        "Мої сусіди все бачили й готові говорити, якщо будуть у безпеці.",
        "Тієї ж ночі ми пішли пішки — я, моя мама й двоє моїх дітей.",
        "Я досі погано сплю, а гучні звуки лякають моїх дітей.",
        "Я вже раз розповідала свою історію журналістові, але після того нічого не сталося.",
        "Я можу описати будівлю, де нас тримали: у неї була зелена брама, а поруч стояла водонапірна вежа.",
        "Я хочу, щоб винних назвали, і хочу знати, де мій брат.",
    ],
}

GIVEN_NAMES: dict[str, list[str]] = {
    "en": ["Daniel", "Grace", "Samuel", "Ruth", "Joseph", "Mary", "Peter", "Esther"],
    "fr": [
        "Jean-Baptiste",
        "Aline",
        "Emmanuel",
        "Claudine",
        "Patrick",
        "Solange",
        "Innocent",
        "Diane",
    ],
    "es": ["María", "José", "Lucía", "Carlos", "Rosa", "Miguel", "Ana", "Julio"],
    "ar": ["أحمد", "فاطمة", "محمود", "مريم", "يوسف", "نور", "خالد", "هدى"],
    "uk": ["Олена", "Андрій", "Марія", "Тарас", "Ірина", "Олександр", "Наталія", "Богдан"],
}
FAMILY_NAMES: dict[str, list[str]] = {
    "en": ["Okello", "Achieng", "Mensah", "Banda", "Otieno"],
    "fr": ["Habimana", "Mukamana", "Nkurunziza", "Uwase", "Bizimana"],
    "es": ["Hernández", "Quispe", "Morales", "Cruz", "Mamani"],
    "ar": ["الحسن", "إبراهيم", "الخطيب", "العلي", "الأحمد"],
    "uk": ["Коваленко", "Шевчук", "Бондар", "Мельник", "Ткаченко"],
}
PSEUDONYMS: dict[str, list[str]] = {
    "en": ["Hope", "River", "Morning", "Cedar", "Harbour"],
    "fr": ["Aube", "Colombe", "Rivière", "Étoile", "Source"],
    "es": ["Alba", "Luz", "Paloma", "Cielo", "Brisa"],
    "ar": ["أمل", "نور الهدى", "سلام", "ريحان", "فجر"],
    "uk": ["Надія", "Віра", "Зоря", "Калина", "Весна"],
}
PLACES: dict[str, list[str]] = {
    "en": ["Kalosi", "Amuru", "Lira North"],
    "fr": ["Kabuye", "Nyamata", "Rusizi-Haut"],
    "es": ["San Miguel del Río", "La Esperanza", "Santa Cruz Alta"],
    "ar": ["الرابية", "تل النخيل", "وادي السلام"],
    "uk": ["Нове", "Зелений Гай", "Степове"],
}
UPDATES: dict[str, str] = {
    "en": "Dear {name}, the hearing in your case has been set. We will call you as agreed to explain what it means.",
    "fr": "Bonjour {name}, l'audience dans votre affaire a été fixée. Nous vous appellerons comme convenu pour vous expliquer ce que cela signifie.",
    "es": "Hola, {name}: ya se ha fijado la fecha de la audiencia de su caso. Le llamaremos como acordamos para explicarle lo que significa.",
    "ar": "{name}، تحية طيبة. تم تحديد موعد الجلسة في قضيتك. سنتصل بك كما اتفقنا لنشرح لك ما يعنيه ذلك.",
    "uk": "Вітаємо, {name}. Судове засідання у вашій справі призначено. Ми зателефонуємо вам, як домовлялися, і пояснимо, що це означає.",
}
PROVIDERS = [
    ("medical", "Clinique Espoir", ["fr", "en"]),
    ("psychosocial", "Centre for Trauma Recovery", ["en", "ar"]),
    ("legal_aid", "Asistencia Jurídica Popular", ["es"]),
    ("shelter", "Safe Haven Women's Shelter", ["en", "uk"]),
    ("protection", "Witness Protection Liaison Unit", ["en", "fr", "ar"]),
    ("livelihood", "Громадська ініціатива «Відновлення»", ["uk"]),
]
# Free-text answers of the incident form, in the survivor's language.
PERPETRATORS: dict[str, list[str]] = {
    "en": [
        "Men in dark green uniforms with no insignia, a white truck",
        "Two men in civilian clothes who spoke with a northern accent",
    ],
    "fr": [
        "Des hommes en uniforme vert foncé sans insigne, un camion blanc",
        "Deux hommes en civil qui parlaient avec un accent du nord",
    ],
    "es": [
        "Hombres con uniforme verde oscuro sin insignias, un camión blanco",
        "Dos hombres vestidos de civil que hablaban con acento del norte",
    ],
    "ar": ["رجال بزي أخضر داكن بلا شارات، وشاحنة بيضاء", "رجلان بملابس مدنية يتكلمان بلهجة شمالية"],
    "uk": [
        "Чоловіки в темно-зеленій формі без знаків розрізнення, біла вантажівка",
        "Двоє чоловіків у цивільному, які говорили з північним акцентом",
    ],
}
INJURIES: dict[str, list[str]] = {
    "en": ["Wounds on both wrists from the ropes", "Bruises on the back and a broken finger"],
    "fr": [
        "Des plaies aux deux poignets à cause des cordes",
        "Des ecchymoses dans le dos et un doigt cassé",
    ],
    "es": ["Heridas en ambas muñecas por las cuerdas", "Moretones en la espalda y un dedo roto"],
    "ar": ["جروح في المعصمين من الحبال", "كدمات في الظهر وإصبع مكسور"],
    "uk": ["Рани на обох зап'ястях від мотузок", "Синці на спині та зламаний палець"],
}
PERIODS: dict[str, str] = {
    "en": "spring {year}",
    "fr": "printemps {year}",
    "es": "primavera de {year}",
    "ar": "ربيع {year}",
    "uk": "весна {year} року",
}
