# Russian: see school_portal/formats/__init__.py.
DATE_FORMAT = "j E Y г."  # 26 августа 2022 г.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г., H:i"  # 26 августа 2022 г., 14:05
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # понедельник
