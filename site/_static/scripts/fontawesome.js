/* reviewbook's site: in place of the theme's fontawesome.js (1.5 MB on every page).

   pydata-sphinx-theme loads Font Awesome twice: its stylesheet draws every icon from the web
   font in _static/vendor/fontawesome, and this script would redraw the same icons as SVG. The
   site keeps the stylesheet's icons; this file, copied over the theme's by site/conf.py's
   html_static_path, does nothing. */
