# Kyrgyz: see school_portal/formats/__init__.py for why these forms.
DATE_FORMAT = "Y-жылдын j-E"  # 2022-жылдын 26-августу
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-жылдын j-E, H:i"  # 2022-жылдын 26-августу, 14:05
YEAR_MONTH_FORMAT = "F Y-ж."  # август 2022-ж.
MONTH_DAY_FORMAT = "j-E"  # 26-августу
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # дүйшөмбү
