"""Names, places and job titles the demo draws from: candidates write in pt-BR, vi and en."""

from __future__ import annotations

BR_FIRST = (
    "Ana", "Beatriz", "Bruna", "Camila", "Carla", "Daniela", "Eduarda", "Fernanda", "Gabriela",
    "Isabela", "Jéssica", "Juliana", "Larissa", "Letícia", "Luana", "Mariana", "Natália",
    "Patrícia", "Rafaela", "Tatiane", "Thaís", "Vitória", "André", "Bruno", "Caio", "Carlos",
    "Diego", "Eduardo", "Felipe", "Gabriel", "Gustavo", "Henrique", "João", "José", "Leandro",
    "Lucas", "Marcelo", "Matheus", "Paulo", "Pedro", "Rafael", "Rodrigo", "Thiago", "Vinícius",
    "Wesley",
)  # fmt: skip
BR_LAST = (
    "Almeida", "Alves", "Araújo", "Barbosa", "Batista", "Cardoso", "Carvalho", "Castro",
    "Costa", "Dias", "Ferreira", "Freitas", "Gomes", "Lima", "Lopes", "Martins", "Melo",
    "Mendes", "Moreira", "Nascimento", "Oliveira", "Pereira", "Pinto", "Ribeiro", "Rocha",
    "Rodrigues", "Santos", "Silva", "Soares", "Souza", "Teixeira", "Vieira",
)  # fmt: skip

VN_LAST = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
)
VN_MIDDLE = ("Thị", "Văn", "Minh", "Ngọc", "Thanh", "Quang", "Đức", "Thu", "Hoài", "Gia")
VN_GIVEN = (
    "An", "Anh", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
    "Huy", "Khánh", "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Nhung", "Phong", "Phương",
    "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy", "Yến",
)  # fmt: skip

EN_FIRST = (
    "Aisha", "Amir", "Chloe", "Daniel", "Farah", "Hafiz", "Hannah", "Irfan", "James", "Kavya",
    "Liam", "Mei", "Nadia", "Nurul", "Olivia", "Priya", "Rahul", "Sarah", "Siti", "Wei Jie",
    "Zara",
)  # fmt: skip
EN_LAST = (
    "Abdullah", "Chen", "Fernandes", "Hassan", "Ibrahim", "Kumar", "Lim", "Menon", "Ong",
    "Rahman", "Raman", "Smith", "Tan", "Wong", "Yusof",
)  # fmt: skip

CITIES = {
    "pt-BR": ("São Paulo", "Campinas", "Guarulhos", "Osasco", "Santo André", "Sorocaba", "Santos"),
    "vi": ("São Paulo", "Hồ Chí Minh", "Campinas", "Guarulhos"),
    "en": ("São Paulo", "Kuala Lumpur", "Campinas", "Petaling Jaya"),
}

# Job titles: the select options (en) and how candidates and agents say them.
POSITION_WORDS = {
    "Stock clerk": {"pt-BR": "repositor", "vi": "nhân viên trưng bày hàng"},
    "Cashier": {"pt-BR": "operador de caixa", "vi": "thu ngân"},
    "Warehouse assistant": {"pt-BR": "auxiliar de armazém", "vi": "nhân viên kho"},
    "Forklift operator": {"pt-BR": "operador de empilhadeira", "vi": "lái xe nâng"},
    "Pharmacy attendant": {"pt-BR": "atendente de farmácia", "vi": "nhân viên nhà thuốc"},
    "Sales associate": {"pt-BR": "vendedor", "vi": "nhân viên bán hàng"},
    "Baker": {"pt-BR": "padeiro", "vi": "thợ làm bánh"},
    "Delivery driver": {"pt-BR": "motorista de entrega", "vi": "tài xế giao hàng"},
}
POSITIONS = tuple(POSITION_WORDS)


def position_in(position: str, language: str) -> str:
    return POSITION_WORDS[position].get(language, position.lower())


# Staff of the demo organisation: (name, email local part).
RETAIL_AGENTS = (
    ("Ana Souza", "ana.souza"),
    ("Bruno Oliveira", "bruno.oliveira"),
    ("Camila Ferreira", "camila.ferreira"),
    ("Diego Santos", "diego.santos"),
    ("Fernanda Lima", "fernanda.lima"),
    ("Gabriel Costa", "gabriel.costa"),
    ("Nguyễn Thị Lan", "lan.nguyen"),
    ("Trần Minh Khoa", "khoa.tran"),
    ("Phạm Thu Hà", "ha.pham"),
    ("Lê Quang Huy", "huy.le"),
    ("Priya Raman", "priya.raman"),
    ("Aisha Rahman", "aisha.rahman"),
    ("Tomás Rodrigues", "tomas.rodrigues"),
    ("Mei Ling Tan", "meiling.tan"),
)
LOGISTICS_AGENTS = (
    ("Larissa Moreira", "larissa.moreira"),
    ("Võ Đức Long", "long.vo"),
    ("Hafiz Yusof", "hafiz.yusof"),
)
MANAGER = ("Rafael Almeida", "rafael.almeida")
VIEWER = ("Juliana Prado", "juliana.prado")
OWNER_NAME = "Marina Duarte"
